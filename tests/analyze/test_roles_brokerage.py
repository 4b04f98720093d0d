"""Gould–Fernandez counts on a hand-computed graph, role rules on constructed cases, seeded Leiden."""

from __future__ import annotations

import random

import igraph as ig
import pytest

from filiere.analyze.brokerage import classify, gould_fernandez
from filiere.analyze.communities import leiden
from filiere.analyze.discover import (
    abroad_countries,
    command_candidates,
    command_order,
    command_ranks,
    hands_on_work,
    management_core,
    organiser_indicators,
)
from filiere.analyze.features import PersonFacts
from filiere.analyze.roles import (
    Centrality,
    MemberContext,
    RoleRules,
    assign_role,
    centralities,
    collects_fares,
    command_scores,
    command_weight,
    ground_work,
    money_side,
    rank_key_players,
)


def test_brokerage_on_a_hand_computed_graph():
    # 0(A) - 1(A) - 2(B),  1 - 3(A),  2 - 4(C),  0 - 3 linked (so 0→1→3 is not brokerage)
    g = ig.Graph(n=5, edges=[(0, 1), (1, 2), (1, 3), (2, 4), (0, 3)])
    groups = ["A", "A", "B", "A", "C"]
    gf = gould_fernandez(g, groups)
    # broker 1 (A): neighbours 0(A), 2(B), 3(A); ordered unlinked pairs: (0,2) (2,0) (3,2) (2,3)
    # 0→1→2: A,A,B representative; 2→1→0: B,A,A gatekeeper; same for 3.
    assert gf[1] == {"coordinator": 0, "consultant": 0, "representative": 2, "gatekeeper": 2, "liaison": 0}
    # broker 2 (B): neighbours 1(A), 4(C): 1→2→4 and 4→2→1 are liaison paths
    assert gf[2] == {"coordinator": 0, "consultant": 0, "representative": 0, "gatekeeper": 0, "liaison": 2}
    # 0 and 3 broker nothing: their neighbours are linked to each other; 4 has one neighbour
    assert sum(gf[0].values()) == 0 and sum(gf[4].values()) == 0
    # 3 (A): neighbours 0(A), 1(A), linked → nothing
    assert sum(gf[3].values()) == 0


def test_brokerage_coordinator_consultant_and_unknown_groups():
    star = ig.Graph(n=4, edges=[(0, 1), (0, 2), (0, 3)])
    assert gould_fernandez(star, ["A", "A", "A", "A"])[0]["coordinator"] == 6
    assert gould_fernandez(star, ["B", "A", "A", "A"])[0]["consultant"] == 6
    assert sum(gould_fernandez(star, ["A", None, None, "A"])[0].values()) == 0
    assert classify("A", "B", "C") == "liaison"


def test_leiden_is_stable_with_a_seed_and_finds_planted_groups():
    rng = random.Random(1)
    edges = [(a, b) for a in range(120) for b in range(a + 1, 120)
             if rng.random() < (0.3 if a // 40 == b // 40 else 0.01)]
    g = ig.Graph(n=120, edges=edges)
    g.es["weight"] = [1.0] * g.ecount()
    first = leiden(g, seed=7)
    assert leiden(g, seed=7) == first
    truth = [0] * 40 + [1] * 40 + [2] * 40
    assert ig.compare_communities(first, truth, method="nmi") > 0.9


def _cent(rank: int = 5) -> Centrality:
    return Centrality(degree=3, strength=3.0, betweenness=1.0, eigenvector=0.5, coreness=2, key_score=0.5,
                      key_rank=rank)


@pytest.mark.parametrize(("facts", "rank", "ctx", "expected"), [
    (PersonFacts(victim_payments_in=3, victims_paying=3), 5, MemberContext(), "collector"),
    (PersonFacts(victim_contacts=5), 5, MemberContext(), "recruiter"),
    (PersonFacts(stated={"recruiter": 1}), 5, MemberContext(), "recruiter"),
    (PersonFacts(crossings_travelled=1), 5, MemberContext(), "driver"),
    (PersonFacts(stated={"pilot": 2}), 5, MemberContext(), "driver"),
    (PersonFacts(vehicles=2), 5, MemberContext(), "logistics"),
    (PersonFacts(), 5, MemberContext(), "member"),
    # a top key player who is paid and keeps away from victims organises; a paid one who calls them collects
    (PersonFacts(victim_payments_in=4, victims_paying=4), 1, MemberContext(), "organiser"),
    (PersonFacts(victim_payments_in=4, victims_paying=4, victim_contacts=6), 1, MemberContext(), "collector"),
    (PersonFacts(stated={"organiser": 1}, victim_contacts=9), 9, MemberContext(), "organiser"),
    # a quiet member linked to two of the top key players and paid by members: organiser
    (PersonFacts(payments_in_other=2), 9, MemberContext(core_ties=2), "organiser"),
    # the network's fallback: highest 'command' among members without hands-on work
    (PersonFacts(), 9, MemberContext(command=0.9, command_rank=1), "organiser"),
    (PersonFacts(), 9, MemberContext(command=0.9, command_rank=3), "member"),
    # third on command counts only with an organiser indicator: a number from abroad, or the money side
    (PersonFacts(), 9, MemberContext(command=0.9, command_rank=3, abroad=["TR"]), "organiser"),
    (PersonFacts(), 9, MemberContext(command=0.9, command_rank=3, collector_ties=1), "organiser"),
    (PersonFacts(), 9, MemberContext(command=0.9, command_rank=4, abroad=["TR"]), "member"),
    (PersonFacts(victim_contacts=5), 5,
     MemberContext(cross_share=0.5, linked_networks=["N2"], brokerage_by_network={"liaison": 2}), "broker"),
    (PersonFacts(), 5, MemberContext(cross_share=0.1, linked_networks=["N2"], brokerage_by_network={"liaison": 2}),
     "member"),
    # witnesses confuse who took their money: named collector counts when no other role is named more often
    (PersonFacts(stated={"collector": 3, "driver": 11}), 9, MemberContext(), "driver"),
    (PersonFacts(stated={"collector": 3, "driver": 3}), 9, MemberContext(), "collector"),
    # the customer side: payments from probable customers make a collector, contacts with them a recruiter
    (PersonFacts(customer_payments_in=2, customers_paying=2), 5, MemberContext(), "collector"),
    (PersonFacts(victim_contacts=1, customer_contacts=2), 5, MemberContext(), "recruiter"),
    (PersonFacts(customer_contacts=2), 5, MemberContext(), "member"),
    # a paid top key player who deals with customers directly collects, he does not organise
    (PersonFacts(customer_payments_in=4, customers_paying=4, victim_contacts=5), 1, MemberContext(), "collector"),
    # probable customers do not make a key player 'hands-on': receiving their money, he commands (organiser)
    (PersonFacts(customer_payments_in=4, customers_paying=4, customer_contacts=5), 1, MemberContext(), "organiser"),
    # the fares end with him and he talks to two members working on the ground: he gives the orders (organiser);
    # with one such contact, or working on the ground himself, or dealing with victims, he only collects
    (PersonFacts(customer_payments_in=9, customers_paying=9), 20, MemberContext(ground_ties=2), "organiser"),
    (PersonFacts(victim_payments_in=1, victims_paying=1), 20, MemberContext(ground_ties=3), "organiser"),
    (PersonFacts(customer_payments_in=9, customers_paying=9), 20, MemberContext(ground_ties=1), "collector"),
    (PersonFacts(customer_payments_in=9, customers_paying=9, customer_contacts=4), 20, MemberContext(ground_ties=3),
     "collector"),
    (PersonFacts(customer_payments_in=9, customers_paying=9, victim_contacts=2), 20, MemberContext(ground_ties=3),
     "collector"),
    (PersonFacts(customer_payments_in=9, customers_paying=9, crossings_travelled=1), 20,
     MemberContext(ground_ties=3), "collector"),
    # money from members only is not a fare: no 'fares end with him' rule (collectors pay organisers their cut)
    (PersonFacts(payments_in_other=3), 20, MemberContext(ground_ties=3), "member"),
])
def test_role_rules(facts, rank, ctx, expected):
    role, reasons = assign_role(facts, _cent(rank), ctx)
    assert role == expected
    assert reasons["role"] == expected and reasons["decided_by"]


def test_command_from_abroad_is_stated_in_the_reasons():
    role, reasons = assign_role(PersonFacts(), _cent(20), MemberContext(command=0.8, command_rank=1, abroad=["DE"]))
    assert role == "organiser"
    assert "abroad (DE" in reasons["decided_by"][0]
    role, reasons = assign_role(PersonFacts(), _cent(20), MemberContext(command=0.8, command_rank=1))
    assert role == "organiser" and "abroad" not in reasons["decided_by"][0]


def test_fares_and_ground_work_are_stated_in_the_reasons():
    role, reasons = assign_role(PersonFacts(customer_payments_in=9, customers_paying=9, victim_payments_in=2,
                                            victims_paying=2), _cent(20), MemberContext(ground_ties=3))
    assert role == "organiser"
    assert "fares end with them" in reasons["decided_by"][0] and "linked to 3 members" in reasons["decided_by"][0]
    # the command rule names the money side: fares received, or the collectors talked to
    _, reasons = assign_role(PersonFacts(), _cent(20), MemberContext(command=0.8, command_rank=1, collector_ties=2))
    assert "talks to 2 member(s) collecting the fares" in reasons["decided_by"][0]
    _, reasons = assign_role(PersonFacts(victim_payments_in=1), _cent(20), MemberContext(command=0.8, command_rank=1))
    assert "receives fares" in reasons["decided_by"][0]


def test_ground_work_fares_and_the_organiser_indicators():
    rules = RoleRules()
    assert ground_work(PersonFacts(victim_contacts=1, customer_contacts=2), rules)  # what the recruiter rule reads
    assert not ground_work(PersonFacts(victim_contacts=1, customer_contacts=1), rules)
    assert ground_work(PersonFacts(crossing_vehicles=1), rules) and ground_work(PersonFacts(stated={"pilot": 1}), rules)
    assert not ground_work(PersonFacts(vehicles=3, stated={"logistics": 1}), rules)  # logistics is not ground work
    assert collects_fares(PersonFacts(victim_payments_in=1, customer_payments_in=1), rules)
    assert not collects_fares(PersonFacts(victim_payments_in=1), rules)
    assert collects_fares(PersonFacts(stated={"collector": 1}), rules)
    assert not collects_fares(PersonFacts(stated={"collector": 1, "driver": 4}), rules)  # mostly named driver
    assert not collects_fares(PersonFacts(payments_in_other=5), rules)  # members' money is no fare
    assert money_side(PersonFacts(customer_payments_in=1), MemberContext())
    assert money_side(PersonFacts(), MemberContext(collector_ties=1))
    assert not money_side(PersonFacts(payments_in_other=2), MemberContext())
    assert organiser_indicators(PersonFacts(), MemberContext()) == 0
    assert organiser_indicators(PersonFacts(), MemberContext(abroad=["IQ"])) == 1
    assert organiser_indicators(PersonFacts(victim_payments_in=1), MemberContext(abroad=["IQ"])) == 2


def test_command_weight_wants_much_and_mostly_to_the_key_players():
    # the organiser: 30 of his 40 link weight goes to the lieutenants; a supplier: 3 of 3; a busy lieutenant: 40 of
    # 300 (the rest to recruiters and drivers)
    organiser = MemberContext(command=30 / 40, core_weight=30.0)
    supplier = MemberContext(command=1.0, core_weight=3.0)
    lieutenant = MemberContext(command=40 / 300, core_weight=40.0)
    assert command_weight(organiser) > command_weight(supplier)
    assert command_weight(organiser) > command_weight(lieutenant)
    assert command_weight(MemberContext()) == 0.0
    # the ranking: organiser indicators first (abroad, money side), then command weight
    people = {
        "abroad_and_paid": (PersonFacts(customer_payments_in=3), MemberContext(abroad=["DE"], command=0.2,
                                                                                core_weight=2.0)),
        "abroad_heavy": (PersonFacts(), MemberContext(abroad=["IQ"], command=0.75, core_weight=30.0)),
        "abroad_light": (PersonFacts(), MemberContext(abroad=["TR"], command=1.0, core_weight=3.0)),
        "collector_contact": (PersonFacts(), MemberContext(collector_ties=1, command=0.5, core_weight=10.0)),
        "local": (PersonFacts(), MemberContext(command=0.9, core_weight=50.0)),
    }
    ranked = sorted(people, key=lambda n: command_order(*people[n], n))
    assert ranked == ["abroad_and_paid", "abroad_heavy", "collector_contact", "abroad_light", "local"]


def test_hands_on_work_and_numbers_from_abroad():
    rules = RoleRules()
    assert not hands_on_work(PersonFacts(payments_in_other=3, customer_payments_in=9), rules)  # fares end up here
    assert hands_on_work(PersonFacts(victim_contacts=3), rules)  # deals with migrants recorded as victims
    # probable customers (a thin flag that also falls on members' fragments and families) do not count
    assert not hands_on_work(PersonFacts(victim_contacts=1, customer_contacts=2), rules)
    assert not hands_on_work(PersonFacts(customer_contacts=9), rules)
    assert hands_on_work(PersonFacts(crossings_travelled=1), rules)
    assert hands_on_work(PersonFacts(vehicles=1), rules)
    assert hands_on_work(PersonFacts(stated={"driver": 1}), rules)
    assert not hands_on_work(PersonFacts(stated={"organiser": 1}), rules)
    # members 0..3: 0 and 1 do hands-on work with FR and BE numbers; 2 has a DE and an FR number; 3 has none
    names = ["rec", "drv", "org", "lt"]
    countries = {"rec": ["FR"], "drv": ["BE", "FR"], "org": ["DE", "FR"]}
    abroad = abroad_countries([0, 1, 2, 3], names, countries, hands_on={0, 1})
    assert abroad == {0: [], 1: [], 2: ["DE"], 3: []}
    # without hands-on members there is no ground to be abroad from: every number counts as abroad
    assert abroad_countries([2], names, countries, hands_on=set()) == {2: ["DE", "FR"]}


def test_command_ranks_give_one_rank_per_line():
    # 5 and 7 hold the same two numbers (one user split over two persons): they share rank 1; 9 has no number
    lines = {5: ("+9647001", "+9647002"), 7: ("+9647001", "+9647002"), 3: ("+4917001",), 8: ("+3360001",)}
    assert command_ranks([5, 3, 7, 9, 8], lines, top=2) == {5: 1, 3: 2, 7: 1}
    assert command_ranks([9, 8, 5], lines, top=2) == {9: 1, 8: 2}
    assert command_ranks([5, 7], lines, top=0) == {}


def test_key_player_rank_puts_the_hub_first_and_skips_phone_actors():
    # 0 is the hub of a star with a tail; 5 is a phone actor that must get no rank
    g = ig.Graph(n=6, edges=[(0, 1), (0, 2), (0, 3), (3, 4), (0, 5)])
    g.es["weight"] = [1.0] * g.ecount()
    cents = centralities(g)
    rank_key_players(cents, [str(i) for i in range(6)], [True] * 5 + [False])
    assert cents[0].key_rank == 1 and cents[5].key_rank == 0
    assert sorted(c.key_rank for c in cents[:5]) == [1, 2, 3, 4, 5]
    assert cents[0].betweenness > cents[3].betweenness > cents[1].betweenness == 0


def test_members_placed_alike_tie_on_key_score_whatever_the_last_digits():
    # two members whose centralities differ only in the last digits (an iterative eigenvector, a parallel sum of
    # weights: run-to-run noise) tie, and the tie goes by name — the same ranks on every run
    for noise in (1e-13, -1e-13):
        cents = [Centrality(3, 5.0, 2.0, 0.8, 2), Centrality(3, 5.0 * (1 + noise), 2.0, 0.8, 2),
                 Centrality(1, 1.0, 0.0, 0.1, 1)]
        rank_key_players(cents, ["a", "b", "c"], [True] * 3)
        assert cents[0].key_score == cents[1].key_score
        assert [c.key_rank for c in cents] == [1, 2, 3]
    # a real difference still counts
    cents = [Centrality(3, 5.0, 2.0, 0.8, 2), Centrality(3, 5.1, 2.0, 0.8, 2), Centrality(1, 1.0, 0.0, 0.1, 1)]
    rank_key_players(cents, ["a", "b", "c"], [True] * 3)
    assert [c.key_rank for c in cents] == [2, 1, 3]


def _ranked(n: int, ranks: dict[int, int]) -> list[Centrality]:
    return [Centrality(1, 1.0, 0.0, 0.0, 1, key_rank=ranks.get(i, 10 + i)) for i in range(n)]


def test_command_is_the_share_of_link_weight_going_to_the_top_key_players():
    # 0, 1, 2 are the network's top three key players (lieutenants); 3 talks mostly to them (an organiser), 4 talks
    # to them a little and mostly to 5 (a logistics man with his own suppliers), 5 knows no key player at all
    g = ig.Graph(n=6, edges=[(0, 1), (0, 3), (1, 3), (2, 3), (3, 5), (0, 4), (4, 5)])
    g.es["weight"] = [2.0, 4.0, 3.0, 2.0, 1.0, 1.0, 9.0]
    cents = _ranked(6, {0: 1, 1: 2, 2: 3})
    share = command_scores(g, cents, core_size=3)
    assert share[3] == pytest.approx(9 / 10)
    assert share[4] == pytest.approx(1 / 10)
    assert share[5] == 0.0
    assert share[0] == pytest.approx(2 / (2 + 4 + 1))  # a lieutenant: only 1 of the others is in the core
    # the core is the top ``core_size``: with a core of one (vertex 0), 3's share falls to 4 / 10
    assert command_scores(g, cents, core_size=1)[3] == pytest.approx(4 / 10)
    # a heavy talker to everyone is not preferred over one whose words go to the core: shares, not volumes
    g.es[g.get_eid(3, 5)]["weight"] = 30.0
    assert command_scores(g, cents, core_size=3)[3] < 0.5


def test_command_candidates_need_no_hands_on_work_two_contacts_and_a_tie_to_the_core():
    vs = [1, 2, 3, 4]
    degree = {1: 5, 2: 5, 3: 1, 4: 5}
    core_ties = {1: 2, 2: 0, 3: 1, 4: 1}
    # 1: quiet, tied to the core → candidate; 2: no tie to any top key player (a broker's contact, beside the
    # network) → not; 3: a single contact → not; 4: hands-on work → not
    assert command_candidates(vs, {4}, degree, core_ties) == [1]
    assert command_candidates(vs, set(), degree, core_ties) == [1, 4]
    # 2 is tied to one of the management's top key players (members without hands-on work): where recruiters top
    # the key players, the organiser talks to the lieutenants below them
    assert command_candidates(vs, {4}, degree, core_ties, {1: 0, 2: 1, 3: 1, 4: 1}) == [1, 2]


def test_management_core_is_the_best_ranked_members_without_hands_on_work():
    # ranked best first: 7 and 3 work on the ground; the management's top two are 5 and 2
    assert management_core([7, 5, 3, 2, 9], hands_on={7, 3}, size=2) == {5, 2}
    assert management_core([7, 3], hands_on={7, 3}, size=2) == set()
