"""Travellers of a failed crossing joined to the same names on its retry (filiere.resolve.attribution.travellers)."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pyarrow as pa
from resolve.named_mentions import named_mentions

from filiere.resolve.attribution import retry_companion_matches, retry_spelling_matches

T0 = datetime(2025, 6, 1, 2, 0)
COMPANIONS = ["Hemin RASUL", "Goran AZIZ", "Dawit TESFAY", "Yonas MEHARI"]


def _prepared(rows: list[tuple[str, str]], birth_years: dict[str, int] | None = None,
              nationalities: dict[str, str] | None = None) -> pa.Table:
    """Traveller mentions (id, name) with optional birth years and nationalities."""
    return named_mentions(rows, "crossings",
                          dob_year=pa.array([(birth_years or {}).get(r[0]) for r in rows], pa.int64()),
                          nationality=pa.array([(nationalities or {}).get(r[0]) for r in rows], pa.string()))


def _trips(crossings: list[tuple[str, int, str, list[str]]]) -> pa.Table:
    """(incident, day, outcome, traveller ids) → the ``trips`` table of :func:`crossing_trips_sql`."""
    rows = [(m, inc, T0 + timedelta(days=day), outcome) for inc, day, outcome, ms in crossings for m in ms]
    return pa.table({"traveller": [r[0] for r in rows], "incident": [r[1] for r in rows],
                     "incident_label": [f"{r[1]} (crossings.csv)" for r in rows],
                     "at": pa.array([r[2] for r in rows], pa.timestamp("us")), "outcome": [r[3] for r in rows]})


def _case(first: list[str], second: list[str], outcome: str = "intercepted", gap_days: int = 10,
          birth_years: dict[str, int] | None = None) -> tuple[pa.Table, pa.Table]:
    """Two crossings: names of the first (ids a0…) and of the later one (ids b0…), plus forty strangers' crossing
    so that no name is common in the case."""
    rows = [(f"a{i}", n) for i, n in enumerate(first)] + [(f"b{i}", n) for i, n in enumerate(second)]
    strangers = [(f"s{i}", f"{g} {f}") for i, (g, f) in enumerate(
        (g, f) for g in ("Samir", "Idris", "Walid", "Nabil", "Tarek")
        for f in ("HADDAD", "MANSOUR", "SALEM", "NASSER", "FARES", "SABRI", "KHALIL", "JABER"))]
    trips = _trips([("I1", 0, outcome, [r[0] for r in rows if r[0].startswith("a")]),
                    ("I2", gap_days, "succeeded", [r[0] for r in rows if r[0].startswith("b")]),
                    ("I3", 90, "succeeded", [s[0] for s in strangers])])
    return _prepared(rows + strangers, birth_years), trips


def _pairs(edges: pa.Table) -> set[tuple[str, str]]:
    return set(zip(edges.column("mention_l").to_pylist(), edges.column("mention_r").to_pylist(), strict=True))


def _singletons(prepared: pa.Table) -> np.ndarray:
    return np.arange(prepared.num_rows)


def test_the_companions_of_an_intercepted_boat_found_again_are_joined_with_reasons() -> None:
    prepared, trips = _case(COMPANIONS, [*COMPANIONS[:3], "Karwan OSMAN"])
    edges = retry_companion_matches(prepared, _singletons(prepared), trips)
    assert _pairs(edges) == {("a0", "b0"), ("a1", "b1"), ("a2", "b2")}
    reasons = edges.column("reasons").to_pylist()[0]
    assert reasons[0] == "3 of 4 named travellers of I1 (crossings.csv) found again on I2 (crossings.csv)"
    assert "namesake" in reasons[1]


def test_a_crossing_that_succeeded_has_no_retry() -> None:
    prepared, trips = _case(COMPANIONS, COMPANIONS[:3], outcome="succeeded")
    assert retry_companion_matches(prepared, _singletons(prepared), trips).num_rows == 0


def test_names_recurring_by_chance_on_a_long_list_make_no_retry() -> None:
    # two of twelve names found again: under a third of the shorter list
    first = COMPANIONS[:2] + [f"{g} {f}" for g in ("Ali", "Reza", "Omar", "Zana", "Aram") for f in ("KARIMI", "NURI")]
    second = COMPANIONS[:2] + [f"{g} {f}" for g in ("Ali", "Reza", "Omar", "Zana", "Aram") for f in ("SAFI", "HOTAK")]
    prepared, trips = _case(first, second)
    assert retry_companion_matches(prepared, _singletons(prepared), trips).num_rows == 0


def test_a_retry_too_long_after_is_not_one() -> None:
    prepared, trips = _case(COMPANIONS, COMPANIONS, gap_days=80)
    assert retry_companion_matches(prepared, _singletons(prepared), trips).num_rows == 0


def test_a_name_twice_on_a_list_or_born_years_apart_is_left_alone() -> None:
    second = [*COMPANIONS, "Hemin RASOUL"]                      # two Hemin Rasul on the retry
    prepared, trips = _case(COMPANIONS, second, birth_years={"a1": 1990, "b1": 2004})
    pairs = _pairs(retry_companion_matches(prepared, _singletons(prepared), trips))
    assert pairs == {("a2", "b2"), ("a3", "b3")}


def test_travellers_already_one_person_give_no_edge() -> None:
    prepared, trips = _case(COMPANIONS, COMPANIONS)
    ids = prepared.column("unique_id").to_pylist()
    labels = np.array([ids.index("a" + m[1:]) if m.startswith("b") else i for i, m in enumerate(ids)])
    assert retry_companion_matches(prepared, labels, trips).num_rows == 0


def test_a_companion_spelled_otherwise_on_the_retry_is_joined_when_alone_that_close() -> None:
    first = [*COMPANIONS, "Zabiullah NOORI", "Bakhtiyar"]
    second = [*COMPANIONS, "Sabiullah Noori", "Bakhtiyar QADIR"]
    prepared, trips = _case(first, second)
    edges = retry_spelling_matches(prepared, _singletons(prepared), trips)
    assert _pairs(edges) == {("a4", "b4")}                      # a bare "Bakhtiyar" is close to every Bakhtiyar
    assert edges.column("shared_tokens").to_pylist()[0][0].startswith("similarity ")


def test_two_close_spellings_on_the_retry_leave_the_name_alone() -> None:
    first = [*COMPANIONS, "Zabiullah NOORI"]
    second = [*COMPANIONS, "Sabiullah Noori", "Sabioullah NOURI"]
    prepared, trips = _case(first, second)
    assert retry_spelling_matches(prepared, _singletons(prepared), trips).num_rows == 0
