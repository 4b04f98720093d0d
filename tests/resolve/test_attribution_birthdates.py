"""Same full birth date under close names (filiere.resolve.attribution.birthdates), and victims' person records
dated by their notes taken as witnesses heard that day (filiere.resolve.attribution.witnesses.event_times_sql)."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pyarrow as pa
from resolve.named_mentions import named_mentions

from filiere.resolve.attribution import birth_date_matches, event_times_sql


def _prepared(rows: list[tuple[str, str, str | None, str | None]]) -> pa.Table:
    """Mentions (id, full name, day-precise birth date or None, nationality or None)."""
    return named_mentions([(r[0], r[1]) for r in rows], "crossings",
                          dob_day=pa.array([r[2] for r in rows], pa.string()),
                          dob_year=pa.array([int(r[2][:4]) if r[2] else None for r in rows], pa.int64()),
                          nationality=pa.array([r[3] for r in rows], pa.string()))


def _pairs(edges: pa.Table) -> set[tuple[str, str]]:
    return set(zip(edges.column("mention_l").to_pylist(), edges.column("mention_r").to_pylist(), strict=True))


def test_same_full_birth_date_and_close_names_are_one_person() -> None:
    prepared = _prepared([
        ("a1", "Yonas TECLE", "1976-01-11", "ERI"),
        ("a2", "Tcele YONAS", "1976-01-11", None),          # order swapped, a typo, no nationality: him
        ("b1", "Noorallah NOORI", "1985-09-02", "AFG"),
        ("b2", "Nour Ullah NOORI", "1985-09-02", "AFG"),    # particle split: him
        ("c1", "Hawre SALEH", "1990-03-04", "IRQ"),
        ("c2", "Hawre ABDULLAH", "1990-03-04", "IRQ"),      # one token shared, names not close: not him
        ("d1", "Amir KARIMI", "1995-05-06", "IRN"),
        ("d2", "Amir KARIMI", "1995-05-06", "AFG"),         # another nationality: not him
        ("e1", "Dler AZIZ", "1987-07-13", "IRQ"),
        ("e2", "Dler AZIZ", None, "IRQ"),                   # no full date (a placeholder or a year): left to Splink
    ])
    edges = birth_date_matches(prepared, np.arange(prepared.num_rows))
    assert _pairs(edges) == {("a1", "a2"), ("b1", "b2")}
    assert all(t[0].startswith("similarity ") for t in edges.column("shared_tokens").to_pylist())
    # mentions already in one person are not joined again
    labels = np.array([0, 0, 2, 3, 4, 5, 6, 7, 8, 9])
    order = prepared.column("unique_id").to_pylist()
    assert order == ["a1", "a2", "b1", "b2", "c1", "c2", "d1", "d2", "e1", "e2"]
    assert _pairs(birth_date_matches(prepared, labels)) == {("b1", "b2")}


def test_a_victims_record_dated_by_its_notes_is_heard_at_the_end_of_that_day(ws) -> None:
    con = ws.con
    con.execute("INSERT INTO sources (source_id, agency) VALUES ('S1', 'UK-KENT'), ('S2', 'UK-BF')")
    con.execute("""INSERT INTO person_mentions (mention_id, source_id, source_row, slot, record_kind, category,
                   recorded_at) VALUES
        ('S1:1:person', 'S1', 1, 'person', 'persons', 'victim', TIMESTAMP '2025-12-20 00:00:00'),
        ('S1:2:person', 'S1', 2, 'person', 'persons', 'victim', TIMESTAMP '2025-12-20 09:30:00'),
        ('S1:3:person', 'S1', 3, 'person', 'persons', 'suspect', TIMESTAMP '2025-12-20 00:00:00'),
        ('S1:4:person', 'S1', 4, 'person', 'persons', 'victim', NULL),
        ('S2:1:traveller', 'S2', 1, 'traveller', 'crossings', 'victim', NULL)""")
    con.execute("""INSERT INTO crossings (source_id, source_row, traveller_mention_id, occurred_at)
                   VALUES ('S2', 1, 'S2:1:traveller', TIMESTAMP '2025-12-20 04:44:27')""")
    rows = sorted(con.execute(event_times_sql()).fetchall())
    # a day alone stands for the end of that day (after the night's landing); a time is kept; a suspect's arrest
    # record and an undated record are no witness
    assert rows == [("S1:1:person", "witness", datetime(2025, 12, 20, 23, 59, 59), "UK-KENT"),
                    ("S1:2:person", "witness", datetime(2025, 12, 20, 9, 30), "UK-KENT"),
                    ("S2:1:traveller", "traveller", datetime(2025, 12, 20, 4, 44, 27), "UK-BF")]
