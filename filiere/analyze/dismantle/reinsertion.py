"""Greedy reinsertion (Braunstein, Dall'Asta, Semerjian & Zdeborová, PNAS 2016) and the orders it induces.

Starting from the graph with a removal set S taken out, put back, one at a time, the removed vertex whose return
creates the smallest component, as long as every component stays within ``limit``. What cannot go back is a
smaller set that still dismantles the graph. Continuing to reinsert regardless of the limit gives an order of S;
reversed, it is a removal order whose tail (the last removals) is as tight as greedy can make it.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import igraph as ig


class _Components:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a == b:
            return
        if self.size[a] < self.size[b]:
            a, b = b, a
        self.parent[b] = a
        self.size[a] += self.size[b]


def reinsertion_order(
    g: ig.Graph,
    removed: Sequence[int],
    limit: int | None = None,
    adj: list[list[int]] | None = None,
    fixed: Sequence[int] = (),
) -> tuple[list[int], list[int]]:
    """Reinsert vertices of ``removed`` greedily (smallest resulting component first, ties: later removal first).

    Returns (reinserted in order, kept out). With ``limit`` set, stops before a reinsertion would create a component
    larger than ``limit``; with ``limit=None`` everything is reinserted and ``kept out`` is empty. Vertices in
    ``fixed`` stay removed throughout.
    """
    n = g.vcount()
    adj = adj if adj is not None else g.get_adjlist()
    out = set(removed) | set(fixed)
    present = [v not in out for v in range(n)]
    comps = _Components(n)
    for v in range(n):
        if present[v]:
            for u in adj[v]:
                if present[u] and u < v:
                    comps.union(u, v)
    position = {v: i for i, v in enumerate(removed)}

    def cost(v: int) -> int:
        roots = {comps.find(u) for u in adj[v] if present[u]}
        return 1 + sum(comps.size[r] for r in roots)

    heap = [(cost(v), -position[v], v) for v in removed]
    heapq.heapify(heap)
    back: list[int] = []
    while heap:
        c, neg_pos, v = heapq.heappop(heap)
        now = cost(v)
        if now != c:  # sizes only grow, so a stale entry is re-queued with its true cost
            heapq.heappush(heap, (now, neg_pos, v))
            continue
        if limit is not None and now > limit:
            break
        present[v] = True
        for u in adj[v]:
            if present[u]:
                comps.union(u, v)
        back.append(v)
    reinserted = set(back)
    return back, [v for v in removed if v not in reinserted]


def reinsert(g: ig.Graph, removed: Sequence[int], limit: int, adj: list[list[int]] | None = None) -> list[int]:
    """The vertices of ``removed`` that must stay removed to keep every component within ``limit``, in their
    original order."""
    return reinsertion_order(g, removed, limit, adj)[1]
