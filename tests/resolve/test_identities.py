"""Two identities in one person (filiere.resolve.identities): full names and birth dates years apart."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from resolve.named_mentions import named_mentions

from filiere.resolve.clusters import cluster
from filiere.resolve.identities import IDENTITY_RULE, identity_conflicts, pairs_kept_apart


def _prepared(rows: list[tuple[str, str, str | None]], alias_only: tuple[str, ...] = ()) -> pa.Table:
    """Mentions (id, name, day-precise birth date or None); ``alias_only``: the ids named only by a label."""
    table = named_mentions([(r[0], r[1]) for r in rows], "persons",
                           dob_day=pa.array([r[2] for r in rows], pa.string()))
    flags = pa.array([r[0] in alias_only for r in rows])
    return table.set_column(table.column_names.index("alias_only"), "alias_only", flags)


def _pairs(table: pa.Table) -> set[tuple[str, str]]:
    return set(zip(table.column("mention_l").to_pylist(), table.column("mention_r").to_pylist(), strict=True))


def test_two_names_and_two_birth_dates_years_apart_are_two_identities() -> None:
    prepared = _prepared([
        ("a1", "Hemin KAREEMI", "1970-11-23"),
        ("a2", "Hemin KARIMI", "1972-11-23"),    # the same family name spelled otherwise: a typo in the year, him
        ("b1", "Hemin RAHIMI", "1976-08-01"),    # another family name, six years apart: another man
        ("c1", "Hemin", "1976-08-01"),           # one token: within either name, never a conflict
        ("d1", "Rahimi HEMIN", "1990-01-05"),    # b1's name in another order, fourteen years later: the names
    ])                                           # agree, so no conflict with b1 (dates alone never separate)
    conflicts = identity_conflicts(prepared, np.zeros(prepared.num_rows, dtype=np.int64))
    assert _pairs(conflicts) == {("a1", "b1"), ("a2", "b1"), ("a1", "d1"), ("a2", "d1")}
    row = conflicts.to_pylist()[0]
    assert row["names"] == ["Hemin KAREEMI", "Hemin RAHIMI"] and row["birth_dates"] == ["1970-11-23", "1976-08-01"]
    assert row["days_apart"] > 2000


def test_no_conflict_across_persons_without_full_dates_or_within_three_years() -> None:
    prepared = _prepared([
        ("a1", "Hemin KAREEMI", "1970-11-23"),
        ("b1", "Hemin RAHIMI", "1976-08-01"),
        ("c1", "Omar QADIR", "1981-01-10"),
        ("c2", "Omar RASUL", None),                     # no full birth date (a placeholder or a year only)
        ("e1", "Azad AHMADI", "1990-03-01"),
        ("e2", "Azad QADIR", "1992-09-01"),             # two years and a half: a clerk's typo is possible
        ("f1", "Kurdo", "1960-01-05"), ("f2", "Kurdo Baba", "1990-01-05"),  # a label is no identity
    ], alias_only=("f1", "f2"))
    labels = np.array([0, 1, 2, 2, 4, 4, 6, 6])        # a1 and b1 in two persons: nothing to keep apart
    assert identity_conflicts(prepared, labels).num_rows == 0


def test_the_stage_clustering_splits_a_person_joined_through_a_weak_link() -> None:
    """What the resolve stage does with the pairs: kept apart (inferred cannot-links), the person is clustered
    again strongest links first, so the weak link that joined two men is the one refused; an analyst's 'same' on
    two conflicting records keeps the person whole."""
    prepared = _prepared([
        ("a1", "Hemin KAREEMI", "1970-11-23"), ("a2", "Hemin KARIMI", "1970-11-23"),
        ("b1", "Hemin RAHIMI", "1976-08-01"), ("b2", "Hemin RAHEEMI", "1976-08-01"),
        ("x", "Baba Hemin", None),             # a label both men's lines carried
    ], alias_only=("x",))
    left, right, probs = [0, 2, 0, 4], [1, 3, 4, 2], [0.999, 0.998, 0.93, 0.9]
    joined = cluster(5, left, right, probs)
    assert len(set(joined.labels.tolist())) == 1
    conflicts = identity_conflicts(prepared, joined.labels)
    index = {m: i for i, m in enumerate(prepared.column("unique_id").to_pylist())}
    apart = pairs_kept_apart(conflicts, joined.labels, index, same=[])
    assert sorted(apart) == [(0, 2), (0, 3), (1, 2), (1, 3)]
    split = cluster(5, left, right, probs, inferred_cannot_link=apart).labels
    assert split[0] == split[1] == split[4] and split[2] == split[3] and split[0] != split[2]
    # an analyst judged a2 and b1 the same man: nothing of this person is kept apart, it stays whole
    same = [(1, 2)]
    assert pairs_kept_apart(conflicts, joined.labels, index, same) == []
    # a 'same' elsewhere changes nothing here
    assert sorted(pairs_kept_apart(conflicts, joined.labels, index, same=[(0, 1)])) == sorted(apart)


def test_resolve_keeps_two_identities_apart_and_says_why(world) -> None:
    """Two men "Hemin" in a workspace of 200 other mentions: A (KARIMI, born 1970, two records) and B (RAHIMI, born
    1976, two records on number Q).  A third record, "Hemin RAHIMI" on number Q but born on A's day (a clerk took
    the other man's date), is joined to B (one name on one line Q) and to A (same full birth date, close names):
    the rules alone would make one person of both men.  The stage keeps A's and B's records apart, says so, and
    an analyst's 'same' on two of the conflicting records makes them one again."""
    from filiere.resolve import judgements
    from filiere.resolve.stage import resolve

    ws, _ = world
    q = "+447700900555"
    rows = [("a1", "Hemin KARIMI", "1970-11-23", None), ("a2", "Hemin KARIMI", "1970-11-23", None),
            ("b1", "Hemin RAHIMI", "1976-08-01", q), ("b2", "Hemin RAHIMI", "1976-08-01", q),
            ("z", "Hemin RAHIMI", "1970-11-23", q)]
    with ws.transaction():
        ws.con.execute("INSERT INTO sources (source_id, file_name, record_kind, agency, status)"
                       " VALUES ('custody', 'custody.csv', 'persons', 'UK', 'active')")
        ws.con.executemany("""INSERT INTO person_mentions (mention_id, source_id, source_row, slot, record_kind, name,
                              name_raw, birth_date, birth_date_raw, birth_date_precision, birth_date_placeholder,
                              nationality, phone, category)
                              VALUES (?, 'custody', ?, 'person', 'persons', ?, ?, ?, ?, 'day', false, 'IRN', ?,
                                      'suspect')""",
                           [(m, i, n, n, d, d, p) for i, (m, n, d, p) in enumerate(rows, start=1)])
    result = resolve(ws)
    person = dict(ws.con.execute("SELECT mention_id, person_id FROM person_map WHERE mention_id IN"
                                 " ('a1', 'a2', 'b1', 'b2', 'z')").fetchall())
    assert person["a1"] == person["a2"] and person["b1"] == person["b2"]
    assert person["a1"] != person["b1"]  # two men
    assert result.kept_apart_identities == 1
    kept = ws.con.execute("SELECT mention_id_l, mention_id_r, features FROM match_evidence WHERE decided_by = ?",
                          [IDENTITY_RULE]).fetchall()
    assert {(a, b) for a, b, _ in kept} == {("a1", "b1"), ("a1", "b2"), ("a2", "b1"), ("a2", "b2")}
    assert "1976-08-01" in kept[0][2] and "days_apart" in kept[0][2]
    judgements.add(ws, "a1", "b1", "same", "one man, two passports", actor="analyst1")
    result = resolve(ws)
    person = dict(ws.con.execute("SELECT mention_id, person_id FROM person_map WHERE mention_id IN"
                                 " ('a1', 'a2', 'b1', 'b2', 'z')").fetchall())
    assert len(set(person.values())) == 1 and result.kept_apart_identities == 0
