"""Exact minimum of the largest remaining component after removing k vertices (unit costs), by branch and bound.

Search: a set that beats the incumbent (LCC < best) must hit every component of size ≥ best, so the search
branches only on the vertices of the largest such component and prunes when more such components remain than
removals left. Siblings already tried are forbidden below later siblings, so every set is visited at most once. A
leaf whose neighbour may be removed is never branched on (removing the neighbour is at least as good). The last
removal is settled for all candidates at once by one lowpoint DFS (``removal_pieces``). The incumbent starts from
the best heuristic set, so the search mostly proves optimality.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from filiere.analyze.dismantle.pieces import removal_pieces
from filiere.analyze.dismantle.problem import Problem

WITNESS_STARTS = 8


@dataclass
class ExactResult:
    lcc: int
    targets: list[int]
    proven: bool
    nodes: int
    seconds: float


def witness(adj: Sequence[Sequence[int]], branchable: Sequence[bool], size: int) -> list[int]:
    """A connected set of ``size`` vertices with as few branchable vertices as greedy growth finds.

    Any removal set that leaves every component smaller than ``size`` must hit every connected set of that size,
    so the search only needs to branch on the branchable vertices of one such set."""
    n = len(adj)
    best: list[int] = list(range(n))
    best_count = sum(branchable)
    step = max(1, n // WITNESS_STARTS)
    for start in range(0, n, step):
        inside = {start}
        count = int(branchable[start])
        heap = [(int(branchable[u]), len(adj[u]), u) for u in adj[start]]
        heapq.heapify(heap)
        while len(inside) < size and heap and count < best_count:
            _, _, u = heapq.heappop(heap)
            if u in inside:
                continue
            inside.add(u)
            count += int(branchable[u])
            for w in adj[u]:
                if w not in inside:
                    heapq.heappush(heap, (int(branchable[w]), len(adj[w]), w))
        if len(inside) >= size and count < best_count:
            best, best_count = sorted(inside), count
    return best


def exact_min_lcc(p: Problem, k: int, *, start: Sequence[int] = (), time_limit: float = 30.0) -> ExactResult:
    """Smallest LCC reachable by removing at most ``k`` allowed vertices; ``start`` is an incumbent set (optional).

    ``proven`` is False when the time limit stopped the search (the result is then the best found)."""
    if k < 0:
        raise ValueError(f"k must be non-negative, got {k}")
    t0 = time.monotonic()
    deadline = t0 + time_limit
    g = p.graph
    n = p.n
    allowed = p.allowed
    alive = np.ones(n, dtype=bool)

    def components() -> list[list[int]]:
        keep = np.flatnonzero(alive)
        comps = [[int(keep[i]) for i in c] for c in g.induced_subgraph(keep.tolist()).connected_components()]
        comps.sort(key=len, reverse=True)
        return comps

    start = [int(v) for v in start][:k]
    for v in start:
        alive[v] = False
    first = components()
    best = len(first[0]) if first else 0
    best_set = list(start)
    alive[:] = True
    stats = {"nodes": 0, "timeout": False}

    def dominated_leaf(i: int, comp: list[int], sub_adj: list[list[int]]) -> bool:
        """A leaf whose neighbour (itself not a leaf) may be removed: removing the neighbour is never worse."""
        if len(sub_adj[i]) != 1:
            return False
        u = sub_adj[i][0]
        return bool(allowed[comp[u]]) and len(sub_adj[u]) > 1

    def branchable(comp: list[int], sub_adj: list[list[int]], forbidden: set[int]) -> list[bool]:
        return [
            bool(allowed[v]) and v not in forbidden and not dominated_leaf(i, comp, sub_adj) for i, v in enumerate(comp)
        ]

    def settle_last(
        comp: list[int], pieces: list[list[int]], worst: list[int], second: int, removed: list[int], forbidden: set[int]
    ) -> None:
        nonlocal best, best_set
        for i, v in enumerate(comp):
            if allowed[v] and v not in forbidden:
                value = max(worst[i], second)
                if value < best:
                    best, best_set = value, [*removed, v]

    def best_single_cut(others: list[list[int]], forbidden: set[int]) -> tuple[int, int | None]:
        """Smallest largest piece reachable by one removal in the largest other component, and that vertex."""
        if not others:
            return 0, None
        other = others[0]
        third = len(others[1]) if len(others) > 1 else 0
        other_pieces = removal_pieces(g.induced_subgraph(other).get_adjlist())
        options = [
            (max(max(pc, default=0), third), w)
            for w, pc in zip(other, other_pieces, strict=True)
            if allowed[w] and w not in forbidden
        ]
        return min(options) if options else (len(other), None)

    def last_two(
        comp: list[int], sub, pieces: list[list[int]], others: list[list[int]], removed: list[int], forbidden: set[int]
    ) -> None:
        """Two removals left and ``comp`` the only component of size ≥ best: one removal v in ``comp``, the other w
        either in what is left of ``comp`` or in the largest other component (``others``, largest first)."""
        nonlocal best, best_set
        second = len(others[0]) if others else 0
        outside_value, outside_w = best_single_cut(others, forbidden)
        nbrs = sub.get_adjlist()
        hit = witness(nbrs, branchable(comp, nbrs, forbidden), best) if len(comp) > best else range(len(comp))
        order = sorted(
            (i for i in hit if allowed[comp[i]] and comp[i] not in forbidden),
            key=lambda i: (max(pieces[i], default=0), comp[i]),
        )
        tried = set(forbidden)
        for i in order:
            stats["nodes"] += 1
            v = comp[i]
            split = sorted(pieces[i], reverse=True)
            if len(split) > 1 and split[1] >= best:
                tried.add(v)
                continue  # two pieces would still be too large with one removal left
            if dominated_leaf(i, comp, nbrs):
                tried.add(v)
                continue
            rest = [j for j in range(len(comp)) if j != i]
            h = sub.induced_subgraph(rest)
            parts = sorted(h.connected_components(), key=len, reverse=True)
            top = max(len(parts[0]) if parts else 0, second)
            if top < best:
                best, best_set = top, [*removed, v]
            if outside_w is not None:
                value = max(len(parts[0]) if parts else 0, len(parts[1]) if len(parts) > 1 else 0, outside_value)
                if value < best:
                    best, best_set = value, [*removed, v, outside_w]
            if parts and len(parts[0]) >= best:
                piece = parts[0]
                runner = max(len(parts[1]) if len(parts) > 1 else 0, second)
                if runner < best:
                    ph = h.induced_subgraph(piece)
                    ids = [comp[rest[j]] for j in piece]
                    cuts = ph.articulation_points()
                    if len(piece) - 1 < best:  # any vertex of the piece will do
                        cuts = list(range(len(piece)))
                    for j in cuts:
                        w = ids[j]
                        if allowed[w] and w not in tried:
                            others = [x for x in range(len(piece)) if x != j]
                            sizes = ph.induced_subgraph(others).connected_components().sizes() if others else [0]
                            value = max(max(sizes), runner)
                            if value < best:
                                best, best_set = value, [*removed, v, w]
            tried.add(v)

    def search(removed: list[int], forbidden: set[int], r: int) -> None:
        nonlocal best, best_set
        stats["nodes"] += 1
        if time.monotonic() > deadline:
            stats["timeout"] = True
            return
        comps = components()
        s = len(comps[0]) if comps else 0
        if s < best:
            best, best_set = s, list(removed)
        if r == 0 or s <= 1:
            return
        big = [c for c in comps if len(c) >= best]
        if len(big) > r:
            return
        second = len(comps[len(big)]) if len(comps) > len(big) else 0
        comp = big[0]
        sub = g.induced_subgraph(comp)
        if r == 1 and len(comp) - 1 >= best and not sub.articulation_points():
            return  # one more removal can only shave one vertex off this component
        sub_adj = sub.get_adjlist()
        pieces = removal_pieces(sub_adj)
        worst_piece = [max(pc, default=0) for pc in pieces]
        if r == 1:
            settle_last(comp, pieces, worst_piece, second, removed, forbidden)
            return
        if r == 2 and len(big) == 1:
            last_two(comp, sub, pieces, comps[1:], removed, forbidden)
            return
        hit = witness(sub_adj, branchable(comp, sub_adj, forbidden), best) if len(comp) > best else range(len(comp))
        order = sorted(
            (i for i in hit if allowed[comp[i]] and comp[i] not in forbidden),
            key=lambda i: (worst_piece[i], -len(sub_adj[i]), comp[i]),
        )
        tried = set(forbidden)
        for i in order:
            v = comp[i]
            if dominated_leaf(i, comp, sub_adj):
                continue  # a leaf: removing its neighbour instead is never worse
            alive[v] = False
            search([*removed, v], tried, r - 1)
            alive[v] = True
            tried.add(v)
            if stats["timeout"]:
                return

    if k > 0:
        search([], set(), k)
    return ExactResult(best, best_set, not stats["timeout"], stats["nodes"], time.monotonic() - t0)
