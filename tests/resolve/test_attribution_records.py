"""What one record says about its rows: the rows of one statement have one witness
(filiere.resolve.attribution.witnesses.statement_witness_rows), and two travellers of one crossing are two people
(filiere.resolve.attribution.travellers.crossing_companions_sql, an inferred cannot-link in the resolve stage)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from resolve.named_mentions import named_mentions

from filiere.resolve.attribution import STATEMENT_RULE, statement_witness_rows
from filiere.resolve.stage import resolve


def test_the_rows_of_one_statement_have_one_witness() -> None:
    prepared = named_mentions([
        ("s1", "Berhane KIDANE"),    # statement ST-1, row designating the driver
        ("s2", "berhane kidane"),    # ST-1, row designating the recruiter: him
        ("s3", None),                # ST-1, a row whose witness name was left empty: him
        ("s4", "Kidane BIRHANE"),    # ST-1, order swapped and a typo: him
        ("s5", "Goran QADIR"),       # ST-1 too, but no name token in common: a reused reference, left alone
        ("s6", "Berhane KIDANE"),    # ST-2: another statement, left to the other rules
    ], "statements")
    rows = pa.table({"witness": ["s1", "s2", "s3", "s4", "s5", "s6"],
                     "statement": ["f:ST-1"] * 5 + ["f:ST-2"]})
    edges = statement_witness_rows(prepared, np.arange(prepared.num_rows), rows)
    assert set(zip(edges.column("mention_l").to_pylist(), edges.column("mention_r").to_pylist(), strict=True)) == {
        ("s2", "s1"), ("s3", "s1"), ("s4", "s1")}
    assert edges.column("shared_tokens").to_pylist()[0] == ["f:ST-1"]
    # rows already in one person are not joined again
    labels = np.array([0, 0, 0, 3, 4, 5])
    assert edges_of(statement_witness_rows(prepared, labels, rows)) == {("s4", "s1")}


def edges_of(edges: pa.Table) -> set[tuple[str, str]]:
    return set(zip(edges.column("mention_l").to_pylist(), edges.column("mention_r").to_pylist(), strict=True))


def _records(ws) -> None:
    """Two travellers of one crossing recorded alike, to the birth day and the group's shared phone (namesakes on
    one boat), and a statement of two rows."""
    with ws.transaction() as con:
        con.execute("INSERT INTO sources (source_id, file_name, agency) VALUES ('c', 'arrivals.csv', 'UK-BF'),"
                    " ('s', 'statements.csv', 'UK-BF')")
        con.execute("""
            INSERT INTO person_mentions (mention_id, source_id, source_row, slot, record_kind, name, name_raw,
                                         birth_date_raw, birth_date, birth_date_precision, birth_date_placeholder,
                                         nationality, phone, category)
            VALUES ('c:1:traveller', 'c', 1, 'traveller', 'crossings', 'ahmed khan', 'Ahmed KHAN', '12/03/2000',
                    DATE '2000-03-12', 'day', false, 'AFG', '+33612345678', 'victim'),
                   ('c:2:traveller', 'c', 2, 'traveller', 'crossings', 'ahmed khan', 'Ahmed KHAN', '12/03/2000',
                    DATE '2000-03-12', 'day', false, 'AFG', '+33612345678', 'victim'),
                   ('s:1:witness', 's', 1, 'witness', 'statements', 'dawit tesfay', 'Dawit TESFAY', NULL, NULL, NULL,
                    NULL, NULL, NULL, 'victim'),
                   ('s:2:witness', 's', 2, 'witness', 'statements', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                    'victim')
        """)
        con.execute("""
            INSERT INTO crossings (source_id, source_row, traveller_mention_id, incident_ref, occurred_at)
            VALUES ('c', 1, 'c:1:traveller', 'UK-2025-00001', TIMESTAMP '2025-06-08 01:42:00'),
                   ('c', 2, 'c:2:traveller', 'UK-2025-00001', TIMESTAMP '2025-06-08 01:42:00')
        """)
        con.execute("""
            INSERT INTO statements (source_id, source_row, witness_mention_id, statement_ref, said_at)
            VALUES ('s', 1, 's:1:witness', 'UK-ST-000001', TIMESTAMP '2025-06-09 10:00:00'),
                   ('s', 2, 's:2:witness', 'UK-ST-000001', TIMESTAMP '2025-06-09 10:00:00')
        """)


def test_resolve_keeps_two_travellers_of_one_crossing_apart_and_joins_a_statement_s_rows(ws) -> None:
    _records(ws)
    resolve(ws)
    person = dict(ws.con.execute("SELECT mention_id, person_id FROM person_map").fetchall())
    # identical records, which would otherwise be collapsed into one: one boat carried both
    assert person["c:1:traveller"] != person["c:2:traveller"]
    assert person["s:1:witness"] == person["s:2:witness"]
    decided = ws.con.execute("SELECT decided_by FROM match_evidence WHERE mention_id_l = 's:2:witness'").fetchall()
    assert decided == [(STATEMENT_RULE,)]
