"""Centralities, key-player rank and a role label per network member, from rules an analyst can read.

Centralities are measured inside the member's network (its members and the unattributed numbers between
them; victims are not part of a network's structure):

* degree — people linked to; strength — sum of link weights;
* betweenness — on shortest paths where a strong link is short (distance = 1 / weight);
* eigenvector — linked to the well-linked (weighted, 1 for the top member); coreness — k-core number.

**Key-player score** = mean of the member's percentile ranks in the network on strength, betweenness,
eigenvector and coreness (1 = top on all four); the key-player rank orders members by it.

**Role rules** (all rules are evaluated and every one that fires is stored in ``role_reasons``; the label is the
first that fires in this order):

1. organiser — a witness statement names them organiser; or they receive money (from victims, probable customers
   or members), are in direct contact with at most ``organiser_max_victim_contacts`` recorded victims
   (organisers stay away from the migrants) and command the network's core: they are one of its
   ``core_size`` top key players, or are linked directly to at least ``organiser_min_core_ties`` of them (the
   organiser runs the network through lieutenants); or **the fares end with them and they direct the work on the
   ground**: they receive payments from victims or probable customers, are in direct contact with at most
   ``organiser_max_victim_contacts`` recorded victims, do no work on the ground themselves (see ``ground_work``)
   and are linked directly to at least ``organiser_min_ground_ties`` members who do (a collector only takes the
   money: those who collect and also talk to the recruiters and drivers give the orders); or they are one of the
   ``organiser_top_command`` members ranked first on *command* — ``organiser_top_command_indicated`` when they
   have an organiser indicator (below: networks often have two organisers, and a lieutenant or a fragment of
   another member may come between them) — among those without hands-on work (in contact with
   fewer than ``recruiter_min_victims`` recorded victims, no crossing, no vehicle kept, not named for another
   role) who are linked to at least one of the network's ``core_size`` top key players, or of the top
   ``core_size`` among its members without hands-on work — where the recruiters, who talk to the most people,
   are the top key players, the organiser talks to the lieutenants below them.  Members attached to the
   network through the migrants they dealt with are outside its structure: never ranked on command, and ranked
   after its structure as key players.  The command ranking counts two **organiser indicators** first —
   *a number from abroad* (a country where none of the network's hands-on members has a number: Channel networks
   are commonly run from abroad through lieutenants) and *on the money side* (they receive fares, or talk
   directly to a member who collects them — one attached through migrants too, whose own links were too weak for
   the community: the organiser is where the money and the operations meet) — members
   with more indicators first, then by ``command_weight``: their link weight going to the network's top key
   players times "command", the share of their link weight that it is (the organiser runs the network through its
   lieutenants: he talks to them a lot, and most of what he says goes to them, whoever else he also talks to);
   persons holding exactly the same numbers (one line's user split over several persons, such as two contact
   labels of one number) share a rank.
2. broker — at least ``broker_min_share`` of their link weight goes to other networks and they broker between
   networks (Gould–Fernandez representative, gatekeeper or liaison paths by network).
3. collector — at least ``collector_min_payments`` payments from victims and probable customers, or named collector
   in at least as many statements as for any other role (``named_mainly``: witnesses confuse who took the money).
4. recruiter — in phone contact with at least ``recruiter_min_victims`` distinct victims and probable customers,
   or named recruiter.
5. driver — travelled on a crossing (as a non-victim: driver, pilot), or their vehicle was on a crossing,
   or named driver or pilot.
6. logistics — keeps vehicles or holds accounts, or pays persons who are neither victims nor probable customers
   (boats, engines, fuel), or named logistics.
7. member — none of the above.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import igraph as ig

from filiere.analyze.features import PersonFacts

ROLE_ORDER = ("organiser", "broker", "collector", "recruiter", "driver", "logistics", "member")


@dataclass(frozen=True)
class RoleRules:
    core_size: int = 3
    organiser_min_core_ties: int = 2
    organiser_max_victim_contacts: int = 1
    organiser_top_command: int = 2
    organiser_top_command_indicated: int = 3  # ... or this many when they have an organiser indicator
    organiser_min_ground_ties: int = 2
    broker_min_share: float = 0.25
    collector_min_payments: int = 2
    recruiter_min_victims: int = 3


@dataclass
class Centrality:
    degree: float
    strength: float
    betweenness: float
    eigenvector: float
    coreness: int
    key_score: float = 0.0
    key_rank: int = 0


@dataclass
class MemberContext:
    """Network-level facts a rule may need about a member, beyond their own records."""

    cross_share: float = 0.0  # share of link weight to other networks
    linked_networks: list[str] = field(default_factory=list)
    brokerage_by_network: dict[str, int] = field(default_factory=dict)
    core_ties: int = 0  # how many of the network's top key players (other than themself) they are linked to
    command: float = 0.0  # share of their link weight going to the network's top key players
    command_rank: int = 0  # rank on command among the network's members without hands-on work (abroad first)
    abroad: list[str] = field(default_factory=list)  # their numbers' countries where no hands-on member has one
    ground_ties: int = 0  # members of the network doing work on the ground (``ground_work``) they are linked to
    collector_ties: int = 0  # members of the network collecting fares (``collects_fares``) they are linked to,
    # attached members included
    core_weight: float = 0.0  # their link weight going to the network's top key players


def centralities(sub: ig.Graph) -> list[Centrality]:
    """Centralities of every vertex of a network's subgraph (edge attribute ``weight``)."""
    n = sub.vcount()
    if n == 0:
        return []
    w = sub.es["weight"] if sub.ecount() else None
    dist = [1.0 / x if x > 0 else 1e9 for x in w] if w else None
    degree = sub.degree()
    strength = sub.strength(weights=w) if w else [0.0] * n
    between = sub.betweenness(weights=dist, directed=False) if sub.ecount() else [0.0] * n
    with warnings.catch_warnings():  # disconnected network: members outside the main component score ~0
        warnings.simplefilter("ignore", RuntimeWarning)
        eig = sub.eigenvector_centrality(weights=w, scale=True) if sub.ecount() else [0.0] * n
    core = sub.coreness()
    cents = [Centrality(float(degree[i]), float(strength[i]), float(between[i]), float(eig[i]), int(core[i]))
             for i in range(n)]
    return cents


def _percentiles(values: Sequence[float]) -> list[float]:
    """Percentile rank in [0, 1] (ties share the average rank; 1 = highest).  Values are compared to 6
    significant digits: an iterative centrality (eigenvector, by ARPACK) differs in its last digits from run to
    run, and two members placed alike must tie (then ranked by name), not swap ranks between runs."""
    n = len(values)
    if n <= 1:
        return [1.0] * n
    values = [float(f"{v:.6g}") for v in values]
    order = sorted(range(n), key=lambda i: values[i])
    ranks = [0.0] * n
    i = 0
    while i < n:
        j = i
        while j + 1 < n and values[order[j + 1]] == values[order[i]]:
            j += 1
        avg = (i + j) / 2
        for k in range(i, j + 1):
            ranks[order[k]] = avg / (n - 1)
        i = j + 1
    return ranks


def rank_key_players(cents: list[Centrality], names: Sequence[str], eligible: Sequence[bool]) -> None:
    """Fill key_score and key_rank (1 = most central) among eligible vertices (persons, not phone actors)."""
    idx = [i for i in range(len(cents)) if eligible[i]]
    parts = [_percentiles([getattr(cents[i], attr) for i in idx])
             for attr in ("strength", "betweenness", "eigenvector", "coreness")]
    for j, i in enumerate(idx):
        cents[i].key_score = sum(p[j] for p in parts) / len(parts)
    for rank, i in enumerate(sorted(idx, key=lambda i: (-cents[i].key_score, names[i])), start=1):
        cents[i].key_rank = rank


def command_scores(sub: ig.Graph, cents: list[Centrality], core_size: int) -> list[float]:
    """Per vertex, the share of its link weight that goes to the network's ``core_size`` top key players (other
    than itself): an organiser runs the network through its lieutenants, so most of what they say goes to them."""
    core = {i for i, c in enumerate(cents) if 0 < c.key_rank <= core_size}
    w = sub.es["weight"] if sub.ecount() else []
    to_core = [0.0] * sub.vcount()
    total = [0.0] * sub.vcount()
    for e, (a, b) in enumerate(sub.get_edgelist()):
        total[a] += w[e]
        total[b] += w[e]
        if b in core:
            to_core[a] += w[e]
        if a in core:
            to_core[b] += w[e]
    return [to_core[i] / total[i] if total[i] else 0.0 for i in range(sub.vcount())]


def command_weight(ctx: MemberContext) -> float:
    """How much, and how exclusively, a member talks to the network's top key players: their link weight going to
    them times the share of their link weight it is.  An organiser talks to his lieutenants a lot *and* mostly to
    them; a supplier who rings a lieutenant now and then has a high share but little weight, a busy lieutenant much
    weight but a small share."""
    return ctx.core_weight * ctx.command


def ground_work(facts: PersonFacts, rules: RoleRules = RoleRules()) -> bool:
    """Work on the ground, what the recruiter and driver rules read: in contact with ``recruiter_min_victims`` or
    more victims and probable customers, on a crossing (themself or their vehicle), or named recruiter, driver or
    pilot."""
    return bool(facts.victim_contacts + facts.customer_contacts >= rules.recruiter_min_victims
                or facts.crossings_travelled or facts.crossing_vehicles
                or any(facts.stated.get(k) for k in ("recruiter", "driver", "pilot")))


def named_mainly(facts: PersonFacts, relation: str) -> bool:
    """Witnesses named them for ``relation`` at least as often as for any other role.  Migrants confuse who took
    their money: a driver named driver in eleven statements and collector in three is no collector."""
    n = facts.stated.get(relation, 0)
    return n > 0 and n >= max(facts.stated.values())


def receives_fares(facts: PersonFacts) -> bool:
    return bool(facts.victim_payments_in or facts.customer_payments_in)


def collects_fares(facts: PersonFacts, rules: RoleRules = RoleRules()) -> bool:
    """What the collector rule reads: ``collector_min_payments`` or more payments from victims and probable
    customers, or named collector at least as often as for any other role (``named_mainly``)."""
    return bool(facts.victim_payments_in + facts.customer_payments_in >= rules.collector_min_payments
                or named_mainly(facts, "collector"))


def money_side(facts: PersonFacts, ctx: MemberContext) -> bool:
    """On the money side of the network: receives fares, or is linked directly to a member collecting them."""
    return receives_fares(facts) or ctx.collector_ties > 0


def organiser_indicators(f: PersonFacts, ctx: MemberContext) -> int:
    """How many of the two organiser indicators the command ranking counts a member has: a number from abroad, and
    being on the money side (receives fares, or talks to a member collecting them)."""
    return int(bool(ctx.abroad)) + int(money_side(f, ctx))


def _paid_by(facts: PersonFacts) -> str:
    parts = []
    if facts.victim_payments_in:
        parts.append(f"{facts.victim_payments_in} payment(s) from {facts.victims_paying} victim(s)")
    if facts.customer_payments_in:
        parts.append(f"{facts.customer_payments_in} payment(s) from {facts.customers_paying} probable customer(s)")
    return " and ".join(parts) or "no payment from victims or customers"


def _in_contact(facts: PersonFacts) -> str:
    text = f"{facts.victim_contacts} victim(s)"
    if facts.customer_contacts:
        text += f" and {facts.customer_contacts} probable customer(s)"
    return text


def assign_role(facts: PersonFacts, cent: Centrality, ctx: MemberContext,
                rules: RoleRules = RoleRules()) -> tuple[str, dict]:
    """The role label and the reasons: every rule that fired, in words, and which one decided."""
    stated = facts.stated
    fired: dict[str, list[str]] = {}

    def fire(role: str, reason: str) -> None:
        fired.setdefault(role, []).append(reason)

    if stated.get("organiser"):
        fire("organiser", f"named organiser in {stated['organiser']} statement(s)")
    receives_money = facts.victim_payments_in > 0 or facts.payments_in_other > 0 or facts.customer_payments_in > 0
    in_core = bool(cent.key_rank) and cent.key_rank <= rules.core_size
    direct = facts.victim_contacts  # recorded victims only: see discover.hands_on_work
    if (receives_money and direct <= rules.organiser_max_victim_contacts
            and (in_core or ctx.core_ties >= rules.organiser_min_core_ties)):
        where = (f"key player #{cent.key_rank} of the network" if in_core
                 else f"linked to {ctx.core_ties} of the network's top {rules.core_size} key players")
        fire("organiser", f"{where}, receives money, in direct contact with {_in_contact(facts)}")
    if (receives_fares(facts) and direct <= rules.organiser_max_victim_contacts and not ground_work(facts, rules)
            and ctx.ground_ties >= rules.organiser_min_ground_ties):
        fire("organiser", f"the fares end with them ({_paid_by(facts)}) and they direct the work on the ground: "
                          f"linked to {ctx.ground_ties} members dealing with migrants or crossings, in direct contact "
                          f"with {_in_contact(facts)} (a collector only takes the money)")
    if ctx.command_rank and (ctx.command_rank <= rules.organiser_top_command
                             or (organiser_indicators(facts, ctx)
                                 and ctx.command_rank <= rules.organiser_top_command_indicated)):
        where = (f"uses a number from abroad ({', '.join(ctx.abroad)}: none of the network's hands-on members has "
                 "one there), "
                 if ctx.abroad else "")
        if receives_fares(facts):
            where += "receives fares, "
        elif ctx.collector_ties:
            where += f"talks to {ctx.collector_ties} member(s) collecting the fares, "
        fire("organiser", f"{where}talks to the network's key players ({ctx.core_weight:.1f} link weight, "
                          f"{ctx.command:.0%} of theirs, goes to its top {rules.core_size} key players, "
                          f"#{ctx.command_rank} in the network on command), "
                          "no hands-on work (crossings, dealing with migrants)")
    cross_brokerage = sum(ctx.brokerage_by_network.get(k, 0) for k in ("representative", "gatekeeper", "liaison"))
    if ctx.cross_share >= rules.broker_min_share and cross_brokerage > 0:
        fire("broker", f"{ctx.cross_share:.0%} of links go to other networks ({', '.join(ctx.linked_networks)}); "
                       f"{cross_brokerage} brokerage paths between networks")
    if facts.victim_payments_in + facts.customer_payments_in >= rules.collector_min_payments:
        fire("collector", "received " + _paid_by(facts))
    if named_mainly(facts, "collector"):
        fire("collector", f"named collector in {stated['collector']} statement(s)")
    if facts.victim_contacts + facts.customer_contacts >= rules.recruiter_min_victims:
        fire("recruiter", "in phone contact with " + _in_contact(facts))
    if stated.get("recruiter"):
        fire("recruiter", f"named recruiter in {stated['recruiter']} statement(s)")
    if facts.crossings_travelled:
        fire("driver", f"on {facts.crossings_travelled} crossing(s) as a non-victim (driver or pilot)")
    if facts.crossing_vehicles:
        fire("driver", f"{facts.crossing_vehicles} of their vehicle(s) seen on crossings")
    for rel in ("driver", "pilot"):
        if stated.get(rel):
            fire("driver", f"named {rel} in {stated[rel]} statement(s)")
    if facts.vehicles or facts.accounts:
        fire("logistics", f"keeps {facts.vehicles} vehicle(s), holds {facts.accounts} account(s)")
    if facts.payments_out:
        fire("logistics", f"made {facts.payments_out} payment(s) to non-victims")
    if stated.get("logistics"):
        fire("logistics", f"named logistics in {stated['logistics']} statement(s)")
    role = next((r for r in ROLE_ORDER if r in fired), "member")
    reasons = {"role": role, "decided_by": fired.get(role, ["no rule fired"]),
               "also": {r: v for r, v in fired.items() if r != role}}
    return role, reasons
