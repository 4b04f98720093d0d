"""Who joins which network: pendant phone actors cost nothing in the communities' density, and persons left outside
every network are attached to the one whose members dealt with the same migrants."""

from __future__ import annotations

import igraph as ig

from filiere.analyze.communities import leiden
from filiere.analyze.discover import LINE, attach_through_migrants, community_sizes
from filiere.graph.load import PHONE, VICTIM, suspect_side


def _graph(vertices: dict[str, str], edges: list[tuple[str, str, float]]) -> ig.Graph:
    g = ig.Graph()
    g.add_vertices(list(vertices))
    g.vs["category"] = list(vertices.values())
    g.add_edges([(a, b) for a, b, _ in edges])
    g.es["weight"] = [w for _, _, w in edges]
    return g


def _recruiter_beside_a_network(n_phones: int) -> ig.Graph:
    """A close network of ten, and a recruiter linked to two of its members whose other calls are with numbers
    nobody else calls (migrants' phones, unattributed)."""
    vertices = {f"m{i}": "suspect" for i in range(10)} | {"rec": "suspect"}
    vertices |= {f"ph{i}": PHONE for i in range(n_phones)}
    edges = [(f"m{i}", f"m{j}", 1.0) for i in range(10) for j in range(i + 1, 10)]
    edges += [("rec", "m0", 1.0), ("rec", "m1", 1.0)]
    edges += [("rec", f"ph{i}", 0.8) for i in range(n_phones)]
    return _graph(vertices, edges)


def test_pendant_structure_vertices_weigh_nothing_the_others_count():
    g = _graph({"a": "suspect", "b": "unknown", "p1": PHONE, "p2": PHONE, "l1": LINE, "l2": LINE},
               [("a", "b", 1.0), ("a", "p1", 1.0), ("a", "p2", 1.0), ("b", "p2", 1.0), ("a", "l1", 1.0),
                ("a", "l2", 1.0), ("b", "l2", 1.0)])
    sizes = dict(zip(g.vs["name"], community_sizes(g, 0.0), strict=True))
    assert sizes == {"a": 1.0, "b": 1.0, "p1": 0.0, "p2": 1.0, "l1": 0.0, "l2": 1.0}
    # a person linked to one vertex only is still a person: size 1
    g2 = _graph({"a": "suspect", "b": "suspect"}, [("a", "b", 1.0)])
    assert community_sizes(g2, 0.0) == [1.0, 1.0]


def test_a_recruiter_with_many_migrant_numbers_joins_the_network_he_works_with():
    g = _recruiter_beside_a_network(7)
    names = g.vs["name"]
    memb = leiden(g, 0.05, seed=1, node_weights=community_sizes(g, 0.0))
    assert memb[names.index("rec")] == memb[names.index("m0")]
    # his numbers follow him
    assert {memb[names.index(f"ph{i}")] for i in range(7)} == {memb[names.index("rec")]}


def test_counting_pendant_numbers_as_people_leaves_him_in_a_star_of_his_own():
    """The control: with every vertex of size 1 (before 26 Nov), the recruiter and his numbers stay apart."""
    g = _recruiter_beside_a_network(7)
    names = g.vs["name"]
    memb = leiden(g, 0.05, seed=1, node_weights=community_sizes(g, 1.0))
    assert memb[names.index("rec")] != memb[names.index("m0")]


def _migrants_world(shared_with_a: int, shared_with_b: int) -> tuple[ig.Graph, ig.Graph, dict[int, list[int]]]:
    """Two networks A and B (three members each), a recruiter R with no link to either, and migrants each in
    contact with R and with a member of A (the first ``shared_with_a``) or of B."""
    vertices = {f"A{i}": "suspect" for i in range(3)} | {f"B{i}": "suspect" for i in range(3)} | {"R": "unknown"}
    edges = [("A0", "A1", 1.0), ("A1", "A2", 1.0), ("A0", "A2", 1.0),
             ("B0", "B1", 1.0), ("B1", "B2", 1.0), ("B0", "B2", 1.0)]
    for i in range(shared_with_a):
        vertices[f"va{i}"] = VICTIM
        edges += [("R", f"va{i}", 1.0), (f"va{i}", f"A{i % 3}", 1.0)]
    for i in range(shared_with_b):
        vertices[f"vb{i}"] = VICTIM
        edges += [("R", f"vb{i}", 1.0), (f"vb{i}", f"B{i % 3}", 1.0)]
    g = _graph(vertices, edges)
    s = suspect_side(g)
    idx = {n: i for i, n in enumerate(s.vs["name"])}
    cand = {0: [idx[f"A{i}"] for i in range(3)], 1: [idx[f"B{i}"] for i in range(3)]}
    return g, s, cand


def test_a_person_outside_every_network_is_attached_through_the_migrants_they_share():
    g, s, cand = _migrants_world(3, 1)
    attached = attach_through_migrants(g, s, cand, 2)
    assert {k: {s.vs[v]["name"]: n for v, n in vs.items()} for k, vs in attached.items()} == {0: {"R": 3}}


def test_no_attachment_on_one_shared_migrant_on_a_tie_or_when_switched_off():
    g, s, cand = _migrants_world(1, 0)
    assert attach_through_migrants(g, s, cand, 2) == {}
    g, s, cand = _migrants_world(2, 2)
    assert attach_through_migrants(g, s, cand, 2) == {}
    g, s, cand = _migrants_world(3, 0)
    assert attach_through_migrants(g, s, cand, 0) == {}
    # members already in a network are never moved
    assert all(s.vs[v]["name"] == "R" for vs in attach_through_migrants(g, s, cand, 2).values() for v in vs)


def test_structure_only_vertices_are_never_attached():
    g, s, cand = _migrants_world(3, 0)
    s.vs["category"] = [PHONE if n == "R" else c for n, c in zip(s.vs["name"], s.vs["category"], strict=True)]
    assert attach_through_migrants(g, s, cand, 2) == {}
