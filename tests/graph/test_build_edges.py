"""The edges table, one edge type at a time, on constructed workspaces."""

from __future__ import annotations

from datetime import timedelta

import pytest
from graph.case import T0, Case

from filiere.graph.build import build_edges
from filiere.graph.load import load_graph, suspect_side


@pytest.fixture
def case(ws):
    return Case(ws)


def test_calls_between_owned_phones_aggregate_per_pair(case):
    case.persons("A", "B", "C")
    ph = case.phones_for("A", "B", "C")
    case.call(ph["A"], ph["B"], n=3)
    case.call(ph["B"], ph["A"], at=T0 + timedelta(days=5))
    case.call(ph["C"], ph["B"])
    counts = build_edges(case.con, "r1")
    assert counts["call"] == 2
    e = case.edges("call")
    ab = e[("A", "B")]
    assert ab[4] == 4 and ab[3] == pytest.approx(4.0)
    assert ab[5] == T0 and ab[6] == T0 + timedelta(days=5)
    assert case.source in ab[7]
    assert ("B", "C") in e


def test_unattributed_numbers_become_phone_actors(case):
    case.persons("A", "B")
    ph = case.phones_for("A", "B")
    burner = "+447700900123"
    case.call(ph["A"], burner)
    case.call(ph["B"], burner)
    case.call("+447700900999", "+447700900998")  # nobody known on either side: still kept
    build_edges(case.con, "r1")
    e = case.edges("call")
    assert ("A", "PH:" + burner) in e and ("B", "PH:" + burner) in e
    assert ("PH:+447700900998", "PH:+447700900999") in e


def test_shared_phone_splits_weight_between_owners(case):
    case.persons("A", "B", "C")
    shared = case.phone("+33600000077", "A")
    case.phone(shared, "B")
    ph = case.phones_for("C")
    case.call(ph["C"], shared, n=2)
    build_edges(case.con, "r1")
    e = case.edges("call")
    assert e[("A", "C")][3] == pytest.approx(1.0) and e[("B", "C")][3] == pytest.approx(1.0)


def test_a_subscription_does_not_carry_the_calls_of_a_line_someone_else_is_known_to_use(case):
    # a smuggler's line registered in a migrant's name: a statement gives the number as the smuggler's
    case.persons("S", "C")
    case.person("M", category="other")
    case.person("N", category="other")
    line = case.phone("+33600000050", "M")  # subscriber record
    case.phone(line, "N", evidence="subscriber in phones")  # a layout giving the subscriber mention the number
    case.phone(line, "S", evidence="subject in statements")
    ph = case.phones_for("C")
    case.call(ph["C"], line, n=2)
    build_edges(case.con, "r1")
    e = case.edges("call")
    assert e[("C", "S")][3] == pytest.approx(2.0)  # the whole weight, not a share
    assert ("C", "M") not in e and ("C", "N") not in e
    # phone_owners itself is untouched: the subscription is still shown
    assert case.con.execute("SELECT count(*) FROM phone_owners WHERE person_id = 'M'").fetchone()[0] == 1


def test_a_subscription_keeps_its_line_when_nobody_is_known_to_use_it(case):
    case.persons("A", "B", "C")
    line = case.phone("+33600000051", "A")
    case.phone(line, "B")  # two subscriptions, no record of use: both keep it (test_shared_phone_splits…)
    ph = case.phones_for("C")
    case.call(ph["C"], line)
    build_edges(case.con, "r1")
    e = case.edges("call")
    assert ("A", "C") in e and ("B", "C") in e


def test_a_swap_link_carries_the_kind_of_tie_it_comes_from(case):
    case.persons("S", "C")
    case.person("M", category="other")
    old = case.phone("+33600000052", "M")  # registered in M's name …
    case.phone(old, "S", evidence="contact list entry")  # … saved under S's name in a seized phone
    new = case.phone("+33600000053", None)
    case.swap(old, new)  # S and M both hold the new number through the swap link
    ph = case.phones_for("C")
    case.call(ph["C"], new, n=3)
    build_edges(case.con, "r1")
    e = case.edges("call")
    assert e[("C", "S")][3] == pytest.approx(3.0)
    assert ("C", "M") not in e


def test_messages(case):
    case.persons("A", "B")
    ph = case.phones_for("A", "B")
    case.message(ph["A"], ph["B"])
    build_edges(case.con, "r1")
    assert ("A", "B") in case.edges("message")


def test_payments_by_mention_and_by_account_holder(case):
    case.person("V", "victim")
    case.persons("A", "B")
    case.payment("V", "A", 2500)
    case.account("GB00HAWALA1", "B")
    case.payment("A", None, 900, payee_account="GB00HAWALA1")
    build_edges(case.con, "r1")
    e = case.edges("payment")
    assert set(e) == {("A", "V"), ("A", "B")}


def test_shared_vehicle_keeper_crossing_and_sighting(case):
    case.persons("K", "D", "S")
    case.person("V1", "victim")
    case.person("V2", "victim")
    case.vehicle("AB123CD", "K")
    case.crossing("INC1", ["D", "V1", "V2"], plate="AB123CD")
    ph = case.phones_for("S")
    case.sighting("A16 Calais", T0, plate="AB123CD")
    case.sighting("A16 Calais", T0 + timedelta(minutes=4), phone=ph["S"])
    case.sighting("A16 Calais", T0 + timedelta(hours=3), phone="+33699999999")  # too late: no link
    build_edges(case.con, "r1")
    e = case.edges("vehicle")
    assert {("D", "K"), ("K", "S"), ("D", "S")} <= set(e)
    assert ("K", "V1") in e and ("D", "V2") in e
    assert ("V1", "V2") not in e  # victim–victim pairs from groups are not stored
    # 5 persons on the plate: each pair weighs 1/(5-1)
    assert e[("D", "K")][3] == pytest.approx(0.25)


def test_co_travel_on_same_incident(case):
    case.persons("P1")
    case.person("V1", "victim")
    case.person("V2", "victim")
    case.crossing("INC9", ["P1", "V1", "V2"])
    case.crossing("INC10", ["V1"])
    build_edges(case.con, "r1")
    e = case.edges("crossing")
    assert set(e) == {("P1", "V1"), ("P1", "V2")}
    assert e[("P1", "V1")][3] == pytest.approx(0.5)


def test_statements_and_seized_phone_contacts(case):
    case.person("W", "victim")
    case.persons("R", "O", "X")
    case.statement("W", "R", "recruiter")
    ph = case.phones_for("X")
    case.contact("O", ph["X"])                      # contact number with a known owner
    case.contact("O", "+447700900555")              # unknown number: phone actor
    case.contact(None, "+447700900556", device_phone=case.phones_for("R")["R"])  # owner from the device number
    build_edges(case.con, "r1")
    assert ("R", "W") in case.edges("statement")
    c = case.edges("contact")
    assert {("O", "X"), ("O", "PH:+447700900555"), ("PH:+447700900556", "R")} == set(c)


def test_rebuild_replaces_edges(case):
    case.persons("A", "B")
    ph = case.phones_for("A", "B")
    case.call(ph["A"], ph["B"])
    build_edges(case.con, "r1")
    build_edges(case.con, "r2")
    assert case.con.execute("SELECT count(*), min(run_id) FROM edges").fetchone() == (1, "r2")


def test_load_graph_keeps_victims_as_evidence_and_suspect_side_drops_them(case):
    case.persons("A", "B")
    case.person("V", "victim", nationality="IRQ")
    ph = case.phones_for("A", "B", "V")
    case.call(ph["A"], ph["B"], n=2)
    case.call(ph["V"], ph["A"])
    case.payment("V", "A")
    build_edges(case.con, "r1")
    g = load_graph(case.con, edge_details=True)
    assert sorted(g.vs["name"]) == ["A", "B", "V"]
    v = g.vs.find(name="V")
    assert v["category"] == "victim" and v["nationality"] == "IRQ"
    av = g.es[g.get_eid(g.vs.find(name="A").index, v.index)]
    assert av["types"] == "call,payment" and av["n_events"] == 2
    s = suspect_side(g)
    assert sorted(s.vs["name"]) == ["A", "B"] and s.ecount() == 1


def test_load_graph_weights_do_not_depend_on_the_order_they_are_summed_in(case):
    """DuckDB sums a pair's edges in whatever order its threads read them; the last bits of a float sum depend on
    that order, and Leiden then found 16, 17 or 18 networks on one world from run to run.  The loaded weight is
    rounded, so the order does not show."""
    case.persons("A", "B")

    def weight(order: list[float]) -> float:
        case.con.execute("DELETE FROM edges")
        for w in order:
            case.con.execute("INSERT INTO edges (person_a, person_b, edge_type, weight, n_events, source_ids, run_id)"
                             " VALUES ('A', 'B', 'call', ?, 1, [], 'r')", [w])
        return load_graph(case.con).es[0]["weight"]

    assert weight([0.1, 0.2, 0.3]) == weight([0.3, 0.2, 0.1])


def test_source_sets_are_exact_on_both_aggregation_paths(case, monkeypatch):
    """Calls from two sources and owners recorded in a third: every edge names exactly the sources behind it,
    whether the source sets travel as bit masks (few sources) or as lists (many sources)."""
    import filiere.graph.build as build

    case.persons("A", "B", "C")
    ph = case.phones_for("A", "B", "C")
    first = case.source
    case.call(ph["A"], ph["B"])
    case.source = case.add_source("uk")  # later events come from a second source
    case.call(ph["B"], ph["A"])
    case.call(ph["C"], "+447700900555")  # unowned number: phone actor with no owner source
    results = []
    for limit in (build.MASK_MAX_SOURCES, 0):
        monkeypatch.setattr(build, "MASK_MAX_SOURCES", limit)
        build_edges(case.con, "r1")
        results.append(case.edges("call"))
    masked, listed = results
    assert masked == listed
    ab_sources = masked[("A", "B")][7]
    assert ab_sources == sorted({first, case.source}) and len(ab_sources) == 2
    assert masked[("C", "PH:+447700900555")][7] == sorted({first, case.source})
