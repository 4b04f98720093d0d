"""From the edges table to ranked networks with their members, roles and key players (rows to write).

1. Load the person graph; drop victims and the customer side (probable customers and nominal subscribers,
   ``filiere.analyze.customers``: flagged with their reasons in ``person_flags``, their category untouched) — the
   suspect-side graph; phone actors stay for structure, and so do nominal subscribers of a line no other record
   ties to anyone (as lines of unknown users).
2. Leiden communities (``community_sizes``: a phone actor or line linked to one vertex only weighs nothing in the
   density, it says nothing about who works with whom); a community with at least ``min_members`` persons, one of
   whom at least shows evidence of smuggling (paid by or in phone contact with a victim or a probable customer, on a
   crossing, or named in a statement), is a candidate network.  Groups of people who only call each other are not
   reported.  A candidate network whose own graph falls apart into cells (modularity at ``cell_resolution``,
   ``split_into_cells``) is split when at least two cells are networks of their own (``cell_min_members`` persons
   or more, evidence of smuggling): CPM at one γ sometimes keeps two networks linked by a few members together.
   The other way round, a candidate network of fewer than ``cell_min_members`` persons whose persons' link weight
   to the network they have most weight to is more than a quarter of their weight among themselves
   (``hanging_groups``, ``HANGING_MIN_SHARE``: a few of a network's members held together as a community of their
   own by numbers they all call) joins that network.
   Persons left outside every network who dealt with ``attach_min_victims`` or more of the same migrants
   as one network's members (more than with any other) are attached to it (``attach_through_migrants``): members,
   outside its structure — unless linked directly to at least two of its members, when they join its structure
   (centralities, key-player rank, command) like its community's members.
3. Per member: record facts (SQL), centralities inside the network, Gould–Fernandez brokerage by network and by
   country on the suspect-side graph, share of links to other networks, key-player rank, role label.
4. Per network: indicators (SQL), score, rank (N1 = highest score), links to other networks, explanation.

Victims are never members, nor are persons flagged on the customer side; phone actors, ids without a resolved
person and nominal subscribers of a line no other record ties to anyone (``lines_of_unknown_users``) are never
members, they stay in the graph for its structure.
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import igraph as ig
import numpy as np
import pandas as pd

from filiere.analyze.brokerage import gould_fernandez
from filiere.analyze.communities import CELL_RESOLUTION, DEFAULT_RESOLUTION, cells, leiden
from filiere.analyze.customers import NOMINAL_SUBSCRIBER, CustomerFlag, CustomerRules, customer_side
from filiere.analyze.features import PersonFacts, person_facts
from filiere.analyze.networks import explain, network_facts, score_networks
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
    organiser_indicators,
    rank_key_players,
)
from filiere.graph.load import PHONE, UNRESOLVED, VICTIM, load_graph, suspect_side

LINE = "line"  # a nominal subscriber's vertex: their lines' calls stay in the structure, the person is never a member
STRUCTURE_ONLY = (PHONE, UNRESOLVED, LINE)


@dataclass(frozen=True)
class DiscoverParams:
    resolution: float = DEFAULT_RESOLUTION
    seed: int = 0
    min_members: int = 3
    pendant_weight: float = 0.0
    attach_min_victims: int = 2  # 0: no attachment through shared migrants
    cell_resolution: float = CELL_RESOLUTION  # 0: candidate networks are not split into cells
    cell_min_members: int = 8  # a cell is a network of its own only with this many persons (a core and those it runs)
    rules: RoleRules = field(default_factory=RoleRules)
    customers: CustomerRules = field(default_factory=CustomerRules)

    def as_dict(self) -> dict:
        return {"resolution": self.resolution, "seed": self.seed, "min_members": self.min_members,
                "pendant_weight": self.pendant_weight, "attach_min_victims": self.attach_min_victims,
                "cell_resolution": self.cell_resolution, "cell_min_members": self.cell_min_members,
                "rules": self.rules.__dict__, "customers": self.customers.__dict__}


@dataclass
class MemberRow:
    network_key: int
    person_id: str
    role: str
    role_reasons: dict
    cent: Centrality
    brokerage: dict
    is_broker: bool


@dataclass
class Discovery:
    networks: list[dict]
    members: list[dict]
    graph_vertices: int
    graph_edges: int
    suspect_vertices: int
    communities: int
    flags: list[dict] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def community_sizes(s: ig.Graph, pendant_weight: float) -> list[float]:
    """Each vertex's size in the communities' density: 1, but ``pendant_weight`` for a structure-only vertex (phone
    actor, unresolved id, line of unknown user) linked to one vertex only."""
    degree = s.degree()
    return [pendant_weight if c in STRUCTURE_ONLY and d <= 1 else 1.0
            for c, d in zip(s.vs["category"], degree, strict=True)]


def _candidates(s: ig.Graph, membership: list[int], min_members: int) -> dict[int, list[int]]:
    persons_by_comm: dict[int, list[int]] = defaultdict(list)
    for v, (c, cat) in enumerate(zip(membership, s.vs["category"], strict=True)):
        if cat not in STRUCTURE_ONLY:
            persons_by_comm[c].append(v)
    return {c: vs for c, vs in persons_by_comm.items() if len(vs) >= min_members}


# A small group (fewer persons than a cell of its own) joins the network its persons have most link weight to when
# that weight is more than this share of the weight among themselves.  1 (more weight out than in) was the ninth
# session's rule; a quarter joins the groups held together by a recruiter's pieces or a money cell sharing numbers
# (NMI up on 12 of 38 simulated worlds, down on 3; docs/decisions.md).
HANGING_MIN_SHARE = 0.25


def hanging_groups(s: ig.Graph, cand: dict[int, list[int]], max_members: int,
                   min_share: float = HANGING_MIN_SHARE) -> dict[int, int]:
    """Candidate networks of fewer than ``max_members`` persons whose persons' link weight to the persons of one
    other candidate network (the one they have most weight to) is more than ``min_share`` times their link weight
    among themselves (phone actors left aside): a group of a network's members that CPM kept apart because the
    numbers they share make a community of their own.  Returns {group: network it belongs to}; a network that is
    itself such a group takes none.  Reads only the small groups' own edges."""
    small = {c for c, vs in cand.items() if len(vs) < max_members}
    if not small or not s.ecount():
        return {}
    member_of = {v: c for c, vs in cand.items() for v in vs}
    w = s.es["weight"]
    found = {}
    for c in sorted(small):
        inside, out = 0.0, defaultdict(float)
        for v in cand[c]:
            for e in s.incident(v):
                a, b = s.es[e].tuple
                u = b if a == v else a
                cu = member_of.get(u)
                if cu == c:
                    inside += w[e] / 2  # seen from both ends
                elif cu is not None:
                    out[cu] += w[e]
        if out:
            best = max(sorted(out), key=out.__getitem__)
            if out[best] > min_share * inside:
                found[c] = best
    return {c: t for c, t in found.items() if t not in found}


def split_into_cells(s: ig.Graph, membership: list[int], cand: dict[int, list[int]],
                     is_network: Callable[[list[int]], bool], resolution: float, seed: int) -> list[int]:
    """Split each candidate network that falls apart into cells (``communities.cells`` on its community's graph)
    when at least two cells are networks in their own right (``is_network`` of their persons: enough persons,
    evidence of smuggling); the other cells join the network cell they have most link weight to.  Returns the new
    membership (split cells get new community ids); CPM at one γ sometimes keeps two networks linked by a few
    members as one community."""
    if resolution <= 0 or not cand:
        return membership
    membership = list(membership)
    by_comm: dict[int, list[int]] = defaultdict(list)
    for v, c in enumerate(membership):
        if c in cand:
            by_comm[c].append(v)
    category = s.vs["category"]
    next_id = max(membership) + 1
    for c in sorted(cand):
        vs = by_comm[c]
        sub = s.induced_subgraph(vs)
        part = cells(sub, resolution, seed)
        groups: dict[int, list[int]] = defaultdict(list)
        for i, p in enumerate(part):
            groups[p].append(i)
        networks = [p for p in sorted(groups)
                    if is_network([vs[i] for i in groups[p] if category[vs[i]] not in STRUCTURE_ONLY])]
        if len(networks) < 2:
            continue
        # the link weight from each other cell to each network cell, in one pass over the community's links
        is_net = set(networks)
        toward: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        w = sub.es["weight"] if sub.ecount() else []
        for e, (a, b) in enumerate(sub.get_edgelist()):
            pa, pb = part[a], part[b]
            if pa != pb:
                if pb in is_net and pa not in is_net:
                    toward[pa][pb] += w[e]
                if pa in is_net and pb not in is_net:
                    toward[pb][pa] += w[e]
        target = {p: p for p in networks}
        for p in groups:
            if p not in target:
                t = toward.get(p)
                target[p] = max(t, key=lambda q: (t[q], -q)) if t else networks[0]
        new_id = {networks[0]: c}
        for p in networks[1:]:
            new_id[p] = next_id
            next_id += 1
        for i, p in enumerate(part):
            membership[vs[i]] = new_id[target[p]]
    return membership


def attach_through_migrants(g: ig.Graph, s: ig.Graph, cand: dict[int, list[int]],
                            min_victims: int) -> dict[int, dict[int, int]]:
    """Persons of the suspect-side graph left outside every network, attached to the one network whose members
    dealt with the same migrants: at least ``min_victims`` distinct persons recorded as victims link them to that
    network's members (in ``g``, the graph with victims), strictly more than to any other network.  Their own links
    to the network are too weak for the communities (a recruiter whose calls are all with migrants, whose numbers
    nobody else's records tie to a person) but the migrants they dealt with crossed with, or paid, that network.
    Returns, per network, the attached suspect-side vertices with the number of migrants each shares with it; they
    are members, outside the network's structure (no centrality, ranked after it, never candidates on command),
    except those ``discover`` finds linked directly to two or more of its members: they join the structure."""
    if min_victims <= 0 or not cand:
        return {}
    full = s.vs["full_index"]
    network_of = {full[v]: c for c, vs in cand.items() for v in vs}
    # the persons who could be attached, by their index in g
    outside = {full[v]: v for v, cat in enumerate(s.vs["category"])
               if cat not in STRUCTURE_ONLY and full[v] not in network_of}
    # walk from the migrants (few) rather than from every person outside the networks (most of a large graph)
    shared: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for u in (i for i, c in enumerate(g.vs["category"]) if c == VICTIM):
        neighbours = g.neighbors(u)
        networks = {network_of[x] for x in neighbours if x in network_of}
        if not networks:
            continue
        for x in neighbours:
            if x in outside:
                for c in networks:
                    shared[outside[x]][c] += 1
    attached: dict[int, dict[int, int]] = defaultdict(dict)
    for v in sorted(shared):
        best = sorted(shared[v].values(), reverse=True)
        if best[0] >= min_victims and (len(best) == 1 or best[0] > best[1]):
            attached[max(shared[v], key=shared[v].__getitem__)][v] = best[0]
    return dict(attached)


def _structure(s: ig.Graph, members: list[int], community: list[int]) -> list[int]:
    """The network's structure: its members and the non-members of the community (phone actors, unresolved
    numbers' owners) linked to at least two members.  Centralities are measured on it (and plans run on it)."""
    member_set = set(members)
    extra = [v for v in community if v not in member_set
             and sum(1 for u in s.neighbors(v) if u in member_set) >= 2]
    return sorted(member_set.union(extra))


def lines_of_unknown_users(customers: dict[str, CustomerFlag]) -> set[str]:
    """Nominal subscribers whose line no other record ties to anyone: their vertex stays in the suspect-side graph
    as a line of unknown user (structure only, never a member), since the line's calls are the only trace of its
    user.  Subscribers whose numbers are all attributed to someone else are dropped: those users carry the calls."""
    return {p for p, f in customers.items() if f.flag == NOMINAL_SUBSCRIBER and f.own_lines > 0}


def command_candidates(vs: list[int], hands_on: set[int], degree: dict[int, int],
                       core_ties: dict[int, int], management_ties: dict[int, int] | None = None) -> list[int]:
    """Members who compete on command: no hands-on work, at least two contacts in the network, and linked to at
    least one of its top key players or of its management's (``management_core``): one commands a network through
    its core, not from beside it — and where the recruiters, who talk to the most people, are its top key
    players, through the lieutenants who talk to them."""
    ties = management_ties or {}
    return [v for v in vs if v not in hands_on and degree[v] >= 2
            and (core_ties[v] >= 1 or ties.get(v, 0) >= 1)]


def management_core(ranked: list[int], hands_on: set[int], size: int) -> set[int]:
    """The ``size`` best-ranked key players among members without hands-on work (``ranked``: best first)."""
    return set([v for v in ranked if v not in hands_on][:size])


def hands_on_work(f: PersonFacts, rules: RoleRules) -> bool:
    """Hands-on work an organiser leaves to others (dealing with migrants as a recruiter does — in contact with
    ``recruiter_min_victims`` or more persons recorded as victims —, crossings, keeping vehicles, being named for
    another role); only members without it compete on 'command'.  Receiving money is not hands-on work: the
    fares end with the organiser.  Contacts with *probable* customers do not count here: that flag rests on thin
    records (a contact-list entry, a small footprint) and also falls on members' own one-label fragments and
    families, whom organisers do talk to — counting them made organisers look hands-on (measured: organisers
    found 8/16 → 10/16 on medium seed 1, 12/13 → 13/13 on seed 7, small worlds unchanged)."""
    return bool(f.victim_contacts >= rules.recruiter_min_victims or f.crossings_travelled
                or f.crossing_vehicles or f.vehicles or any(v for k, v in f.stated.items() if k != "organiser"))


def command_order(f: PersonFacts, ctx: MemberContext, name: str) -> tuple[int, float, str]:
    """Sort key of the command ranking: more organiser indicators first, then a higher ``command_weight`` (ties:
    the person id, so that a re-run ranks the same)."""
    return -organiser_indicators(f, ctx), -command_weight(ctx), name


def abroad_countries(vs: list[int], names: list[str], countries: dict[str, list[str]],
                     hands_on: set[int]) -> dict[int, list[str]]:
    """Per member, the countries of their numbers where none of the network's hands-on members (those dealing
    with migrants, on crossings) has a number: the network works on the ground elsewhere, so such a number is one
    from abroad."""
    ground = {c for v in vs if v in hands_on for c in countries.get(names[v], ())}
    return {v: [c for c in countries.get(names[v], ()) if c not in ground] for v in vs}


def _numbers(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, list[str]], dict[str, tuple[str, ...]]]:
    """Per candidate member (``a_members``): the countries of the numbers they used (``line_users``), and the
    numbers."""
    rows = con.execute("""
        SELECT lu.person_id, list(DISTINCT p.country ORDER BY p.country) FILTER (WHERE p.country IS NOT NULL),
               list(DISTINCT lu.phone ORDER BY lu.phone)
        FROM line_users lu LEFT JOIN phones p ON p.phone = lu.phone
        WHERE lu.person_id IN (SELECT person_id FROM a_members) GROUP BY lu.person_id""")
    countries, numbers = {}, {}
    for pid, cs, ns in rows.fetchall():
        countries[pid], numbers[pid] = list(cs or []), tuple(ns)
    return countries, numbers


def command_ranks(ranked: list[int], lines: dict[int, tuple[str, ...]], top: int) -> dict[int, int]:
    """Rank on command, persons who hold exactly the same numbers (one line's user split over several persons, e.g.
    two contact labels of one number) sharing one rank: the ``top`` best lines, each with all its holders."""
    ranks: dict[int, int] = {}
    seen: dict[tuple[str, ...], int] = {}
    for v in ranked:
        line = lines.get(v) or (f"#{v}",)
        if line not in seen:
            if len(seen) == top:
                continue
            seen[line] = len(seen) + 1
        ranks[v] = seen[line]
    return ranks


def _smuggling_evidence(f: PersonFacts) -> bool:
    return bool(f.victim_payments_in or f.victim_contacts or f.crossings_travelled or f.crossing_vehicles
                or f.customer_payments_in or f.customer_contacts or any(f.stated.values()))


def _write_members(con: duckdb.DuckDBPyConnection, names: list[str], cand: dict[int, list[int]]) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE a_members (person_id VARCHAR, network_key INTEGER)")
    rows = [(names[v], c) for c, vs in cand.items() for v in vs]
    con.register("a_members_df", pd.DataFrame(rows, columns=["person_id", "network_key"]))
    con.execute("INSERT INTO a_members SELECT * FROM a_members_df")
    con.unregister("a_members_df")


def _write_customers(con: duckdb.DuckDBPyConnection, customers: dict[str, CustomerFlag]) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE a_customers (person_id VARCHAR, flag VARCHAR)")
    if customers:
        con.register("a_customers_df", pd.DataFrame({"person_id": list(customers),
                                                     "flag": [f.flag for f in customers.values()]}))
        con.execute("INSERT INTO a_customers SELECT * FROM a_customers_df")
        con.unregister("a_customers_df")


def networks_of_vertices(membership: list[int], attached: dict[int, dict[int, int]]) -> list[int]:
    """The network each suspect-side vertex is counted in: its community, or for a person attached through migrants
    (:func:`attach_through_migrants`), the network it was attached to.  Links between networks are read on this: an
    attached member's calls to numbers of his network's community are inside his network, not a link to it."""
    assigned = list(membership)
    for c, vs in attached.items():
        for v in vs:
            assigned[v] = c
    return assigned


def cross_links(s: ig.Graph, membership: list[int], cand: set[int]) -> tuple[list[float], list[dict[int, float]]]:
    """Per vertex: share of its link weight going to other candidate networks, and weight per other network."""
    n = s.vcount()
    per: list[dict[int, float]] = [{} for _ in range(n)]
    if not s.ecount():
        return [0.0] * n, per
    ends = np.asarray(s.get_edgelist(), dtype=np.int64)
    w = np.asarray(s.es["weight"], dtype=float)
    memb = np.asarray(membership, dtype=np.int64)
    is_cand = np.zeros(memb.max() + 1, dtype=bool)
    is_cand[list(cand)] = True
    strength = np.bincount(ends[:, 0], weights=w, minlength=n) + np.bincount(ends[:, 1], weights=w, minlength=n)
    cross = memb[ends[:, 0]] != memb[ends[:, 1]]
    cross_weight = np.zeros(n)
    for x, y in ((0, 1), (1, 0)):  # the weight of x's edge into y's community, when that is a candidate
        keep = cross & is_cand[memb[ends[:, y]]]
        cross_weight += np.bincount(ends[keep, x], weights=w[keep], minlength=n)
        for v, c, wt in zip(ends[keep, x].tolist(), memb[ends[keep, y]].tolist(), w[keep].tolist(), strict=True):
            per[v][c] = per[v].get(c, 0.0) + wt
    out = np.zeros(n)
    np.divide(cross_weight, strength, out=out, where=strength > 0)
    return out.tolist(), per


def discover(con: duckdb.DuckDBPyConnection, params: DiscoverParams, run_id: str) -> Discovery:
    timer = _Timer()
    g = load_graph(con)
    kept: dict[str, str] = {}  # persons a member's calls kept off the customer side, and why
    customers = customer_side(con, params.customers, kept=kept)
    lines_only = lines_of_unknown_users(customers)
    s = suspect_side(g, [p for p in customers if p not in lines_only])
    if lines_only:
        s.vs["category"] = [LINE if n in lines_only else c for n, c in zip(s.vs["name"], s.vs["category"], strict=True)]
    _write_customers(con, customers)
    timer.lap("load")
    membership = leiden(s, params.resolution, params.seed, node_weights=community_sizes(s, params.pendant_weight))
    timer.lap("leiden")
    cand = _candidates(s, membership, params.min_members)
    names = s.vs["name"]
    _write_members(con, names, cand)
    facts = person_facts(con)
    # a community is a candidate smuggling network only with evidence of smuggling on at least one member (read
    # from the persons with facts: looking up any other person would add empty facts for him, one per vertex)
    evident = {p for p, f in facts.items() if _smuggling_evidence(f)}
    cand = {c: vs for c, vs in cand.items() if any(names[v] in evident for v in vs)}
    split = split_into_cells(s, membership, cand, lambda ps: len(ps) >= params.cell_min_members and any(
        names[v] in evident for v in ps), params.cell_resolution, params.seed)
    before_split = membership
    if split != membership:
        membership = split
        cand = {c: vs for c, vs in _candidates(s, membership, params.min_members).items()
                if any(names[v] in evident for v in vs)}
    hanging = hanging_groups(s, cand, params.cell_min_members)
    if hanging:
        membership = [hanging.get(c, c) for c in membership]
        for c, t in hanging.items():
            cand[t] = cand[t] + cand.pop(c)
    attached = attach_through_migrants(g, s, cand, params.attach_min_victims)
    # an attached person linked directly to at least two of the network's members joins its structure (the
    # community left him out, his own links say where he works); the others stay outside it
    member_sets = {c: set(cand[c]) for c in attached}
    tied = {c: {v: n for v in vs if (n := len(member_sets[c].intersection(s.neighbors(v)) - {v})) >= 2}
            for c, vs in attached.items()}
    outside = {v for c, vs in attached.items() for v in vs if v not in tied[c]}
    structural = {c: list(vs) + sorted(tied.get(c, ())) for c, vs in cand.items()}
    for c, vs in attached.items():
        cand[c] = cand[c] + list(vs)
    if attached:  # facts are per person: read only those of the attached persons (the others are already read)
        _write_members(con, names, {-1: sorted(v for vs in attached.values() for v in vs)})
        facts.update(person_facts(con))
    _write_members(con, names, cand)
    countries, numbers = _numbers(con)
    timer.lap("facts")
    assigned = networks_of_vertices(membership, attached)
    share, per_network = cross_links(s, assigned, set(cand))
    member_vs = [v for vs in cand.values() for v in vs]
    by_network = gould_fernandez(s, [c if c in cand else None for c in assigned], member_vs)
    by_country = gould_fernandez(s, s.vs["country"], member_vs)

    # the community each network was found in, before any split into cells
    origin = {c: before_split[vs[0]] for c, vs in structural.items()}
    split_from: dict[int, list[int]] = defaultdict(list)
    for c, o in origin.items():
        split_from[o].append(c)
    comm_vertices: dict[int, list[int]] = defaultdict(list)
    for v, c in enumerate(membership):
        if c in cand:
            comm_vertices[c].append(v)
    members: list[MemberRow] = []
    for c, vs in cand.items():
        comm_vs = _structure(s, structural[c], comm_vertices[c])
        sub = s.induced_subgraph(comm_vs)
        cents = centralities(sub)
        rank_key_players(cents, sub.vs["name"], [x not in STRUCTURE_ONLY for x in sub.vs["category"]])
        pos = {v: i for i, v in enumerate(comm_vs)}
        # members attached through migrants: outside the structure, ranked after it, no centrality
        n_ranked = sum(1 for x in sub.vs["category"] if x not in STRUCTURE_ONLY)
        for j, v in enumerate(sorted((v for v in attached.get(c, ()) if v in outside), key=lambda v: names[v]),
                              start=1):
            pos[v] = len(cents)
            cents.append(Centrality(0.0, 0.0, 0.0, 0.0, 0, 0.0, n_ranked + j))
        core = {i for i, c_ in enumerate(cents) if 0 < c_.key_rank <= params.rules.core_size}
        command = command_scores(sub, cents, params.rules.core_size)
        ctxs = {}
        for v in vs:
            i = pos[v]
            ctxs[v] = MemberContext(cross_share=share[v],
                                    linked_networks=[f"{{net:{k}}}" for k in sorted(per_network[v])],
                                    brokerage_by_network=by_network[v],
                                    core_ties=len(core.intersection(sub.neighbors(i)) - {i}) if v not in outside
                                    else 0, command=command[i] if v not in outside else 0.0)
        hands_on = {v for v in vs if hands_on_work(facts[names[v]], params.rules)}
        # "abroad" is read against the ground of the whole community the network was found in: a network split into
        # cells works on the same ground as its sibling cells (a recruiter's Belgian number is not "from abroad"
        # because his cell's other hands-on members have French ones)
        siblings = [v for c2 in split_from[origin[c]] if c2 != c for v in structural[c2]]
        wide = hands_on.union(v for v in siblings if hands_on_work(facts[names[v]], params.rules))
        # the ground is read on the network as its community found it: attached persons, joined or not, came from
        # outside it (a collector with a Belgian number the community left out does not make Belgium its ground)
        abroad = abroad_countries(vs + siblings, names, countries, wide - set(attached.get(c, ())))
        ground = {pos[v] for v in vs if ground_work(facts[names[v]], params.rules)}
        # collectors are read among all the network's members, those attached through migrants too (a collector
        # whose only tie to the structure is the organiser he pays is attached, and still the money side)
        collecting = {v for v in vs if collects_fares(facts[names[v]], params.rules)}
        for v in vs:
            ctxs[v].abroad = abroad.get(v, [])
            if v not in outside:
                near = set(sub.neighbors(pos[v])) - {pos[v]}
                ctxs[v].ground_ties = len(near & ground)
                ctxs[v].collector_ties = len((set(s.neighbors(v)) - {v}) & collecting)
        # command: among the members without hands-on work linked to the network's core, those with more organiser
        # indicators first (a number from abroad: organisers run Channel networks from abroad, through lieutenants;
        # on the money side: the fares end with them or with a collector they talk to), then by how much, and how
        # exclusively, they talk to the top key players (``command_weight``)
        by_rank = sorted((v for v in structural[c] if cents[pos[v]].key_rank),
                         key=lambda v: cents[pos[v]].key_rank)
        management = {pos[v] for v in management_core(by_rank, hands_on, params.rules.core_size)}
        quiet = command_candidates(structural[c], hands_on, {v: sub.degree(pos[v]) for v in structural[c]},
                                   {v: ctxs[v].core_ties for v in vs},
                                   {v: len(management.intersection(sub.neighbors(pos[v])) - {pos[v]})
                                    for v in structural[c]})
        for v in vs:
            if v not in outside:
                ctxs[v].core_weight = command[pos[v]] * cents[pos[v]].strength
        ranked = sorted(quiet, key=lambda v: command_order(facts[names[v]], ctxs[v], names[v]))
        lines = {v: numbers[names[v]] for v in quiet if names[v] in numbers}
        for v, r in command_ranks(ranked, lines, max(params.rules.organiser_top_command,
                                                       params.rules.organiser_top_command_indicated)).items():
            ctxs[v].command_rank = r
        labelled = {v: assign_role(facts[names[v]], cents[pos[v]], ctxs[v], params.rules) for v in vs}
        for v, n_migrants in attached.get(c, {}).items():
            if v in outside:
                labelled[v][1]["membership"] = (f"attached: outside the network's community (too few or too weak "
                                                f"links of their own to it); dealt with {n_migrants} migrants its "
                                                "members also dealt with (no other network as many)")
            else:
                labelled[v][1]["membership"] = (f"joined: outside the network's community, but linked directly to "
                                                f"{tied[c][v]} of its members and dealt with {n_migrants} migrants "
                                                "they also dealt with (no other network as many)")
        for v in vs:
            role, reasons = labelled[v]
            if names[v] in kept:
                reasons["not_flagged"] = kept[names[v]]
            is_broker = share[v] >= params.rules.broker_min_share and bool(per_network[v])
            members.append(MemberRow(c, names[v], role, reasons, cents[pos[v]],
                                     {"by_network": by_network[v], "by_country": by_country[v],
                                      "links_to_networks": dict(per_network[v])}, is_broker))

    timer.lap("roles")
    nfacts = network_facts(con)
    for m in members:
        roles = nfacts[m.network_key].roles
        roles[m.role] = roles.get(m.role, 0) + 1
    scored = score_networks(nfacts)
    ids = {s_.facts.key: f"N{i}" for i, s_ in enumerate(scored, start=1)}

    # links between networks: members with link weight into another network
    links: dict[int, dict[str, dict]] = defaultdict(dict)
    for m in members:
        m.brokerage["links_to_networks"] = {ids[k]: round(w, 3) for k, w in m.brokerage["links_to_networks"].items()}
        for other in m.brokerage["links_to_networks"]:
            entry = links[m.network_key].setdefault(other, {"links": 0, "via": []})
            entry["links"] += 1
            entry["via"].append(m.person_id)
        m.role_reasons = json.loads(_rename(json.dumps(m.role_reasons), ids))

    network_rows = []
    n = len(scored)
    for rank, sc in enumerate(scored, start=1):
        nid = ids[sc.facts.key]
        ind = dict(sc.indicators)
        ind["context"] = {
            "members": sc.facts.members, "victims_paying": sc.facts.victims_paying,
            "customers_paying": sc.facts.customers_paying, "money_from_customers": sc.facts.money_from_customers,
            "victim_contacts": sc.facts.victim_contacts, "countries": sc.facts.countries,
            "agencies": sc.facts.agencies, "roles": sc.facts.roles,
            "unattributed_numbers": sc.facts.unattributed_numbers,
            "first_at": str(sc.facts.first_at) if sc.facts.first_at else None,
            "last_at": str(sc.facts.last_at) if sc.facts.last_at else None,
            "links_to_networks": links.get(sc.facts.key, {}),
        }
        network_rows.append({
            "network_id": nid, "rank": rank, "score": sc.score, "n_members": sc.facts.members,
            "indicators": json.dumps(ind, default=str),
            "explanation": explain(nid, rank, n, sc, links.get(sc.facts.key, {})),
            "source_ids": sc.facts.source_ids, "run_id": run_id,
        })
    member_rows = [{
        "network_id": ids[m.network_key], "person_id": m.person_id, "role": m.role,
        "role_reasons": json.dumps(m.role_reasons), "key_player_rank": m.cent.key_rank,
        "score": round(m.cent.key_score, 4), "degree": m.cent.degree, "strength": m.cent.strength,
        "betweenness": m.cent.betweenness, "eigenvector": m.cent.eigenvector, "coreness": m.cent.coreness,
        "brokerage": json.dumps(m.brokerage), "is_broker": m.is_broker, "run_id": run_id,
    } for m in members]
    flag_rows = _flag_rows(con, customers, {m.person_id: ids[m.network_key] for m in members}, run_id)
    timer.lap("scoring")
    return Discovery(network_rows, member_rows, g.vcount(), g.ecount(), s.vcount(), len(set(membership)),
                     flag_rows, timer.laps)


def _flag_rows(con: duckdb.DuckDBPyConnection, customers: dict[str, CustomerFlag], network_of: dict[str, str],
               run_id: str) -> list[dict]:
    """One ``person_flags`` row per flagged person, with the networks whose members they are linked to."""
    if not customers:
        return []
    linked: dict[str, set[str]] = defaultdict(set)
    pairs = con.execute("""
        SELECT person_a, person_b FROM edges WHERE person_a IN (SELECT person_id FROM a_customers)
        UNION SELECT person_b, person_a FROM edges WHERE person_b IN (SELECT person_id FROM a_customers)""").fetchall()
    for pid, other in pairs:
        if other in network_of:
            linked[pid].add(network_of[other])
    return [{"person_id": f.person_id, "flag": f.flag, "reasons": json.dumps(f.reasons),
             "evidence": json.dumps(f.evidence),
             "network_ids": sorted(linked.get(f.person_id, ()), key=lambda n: int(n[1:])),
             "source_ids": f.source_ids, "run_id": run_id} for f in customers.values()]


class _Timer:
    def __init__(self) -> None:
        self.t = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.t, 3)
        self.t = now


def _rename(text: str, ids: dict[int, str]) -> str:
    """Replace community keys ({net:12}) by network ids (N3) in reason texts."""
    return re.sub(r"\{net:(\d+)\}", lambda m: ids.get(int(m.group(1)), m.group(0)), text)
