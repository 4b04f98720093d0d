"""Two identities in one person (filiere.resolve.identities): full names and birth dates years apart."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from resolve.named_mentions import named_mentions

from filiere.resolve.clusters import cluster
from filiere.resolve.identities import identity_conflicts, pairs_kept_apart


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
