"""Gould–Fernandez brokerage: how often a person sits on a two-step path between two unlinked people, by group.

For a broker *b* on a path a → b → c where a and c are not linked, with groups g(·) (country, agency or
network):

=================  ====================  ===================================================
role               groups                meaning
=================  ====================  ===================================================
coordinator        g(a) = g(b) = g(c)    brokers inside their own group
consultant         g(a) = g(c) ≠ g(b)    an outsider linking two members of one group (itinerant)
representative     g(a) = g(b) ≠ g(c)    speaks for their own group to another
gatekeeper         g(b) = g(c) ≠ g(a)    controls what enters their own group
liaison            all different         links two groups, belonging to neither
=================  ====================  ===================================================

The person graph is undirected (edges aggregate both directions), so every path is counted in both orders: a
representative path read backwards is a gatekeeper path, and the two counts are equal.  People whose group is
unknown (``None``) are left out of the paths.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence

import igraph as ig

ROLES = ("coordinator", "consultant", "representative", "gatekeeper", "liaison")


def classify(ga: Hashable, gb: Hashable, gc: Hashable) -> str:
    if ga == gb == gc:
        return "coordinator"
    if ga == gc:
        return "consultant"
    if ga == gb:
        return "representative"
    if gb == gc:
        return "gatekeeper"
    return "liaison"


def gould_fernandez(g: ig.Graph, groups: Sequence[Hashable | None],
                    vertices: Iterable[int] | None = None) -> dict[int, dict[str, int]]:
    """Brokerage counts per vertex (all five roles, zeros included)."""
    cache: dict[int, set[int]] = {}

    def adj(v: int) -> set[int]:  # neighbour sets built only for the vertices needed
        if v not in cache:
            cache[v] = set(g.neighbors(v))
        return cache[v]

    out: dict[int, dict[str, int]] = {}
    for b in (range(g.vcount()) if vertices is None else vertices):
        gb = groups[b]
        counts = dict.fromkeys(ROLES, 0)
        if gb is None:
            out[b] = counts
            continue
        nbrs = [a for a in adj(b) if a != b and groups[a] is not None]
        by_group = Counter(groups[a] for a in nbrs)
        # ordered pairs (a, c), a ≠ c, by group pair ...
        pairs: Counter = Counter()
        for ga, na in by_group.items():
            for gc, nc in by_group.items():
                pairs[(ga, gc)] += na * nc - (na if ga == gc else 0)
        # ... minus the pairs that are linked directly (no brokerage between them)
        nbr_set = set(nbrs)
        for a in nbrs:
            for c in adj(a) & nbr_set:
                if c != a:
                    pairs[(groups[a], groups[c])] -= 1
        for (ga, gc), n in pairs.items():
            if n:
                counts[classify(ga, gb, gc)] += n
        out[b] = counts
    return out
