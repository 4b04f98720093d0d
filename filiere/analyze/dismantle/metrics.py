"""Damage measures for node removal: largest connected component, efficiency, fragmentation and curve areas.

Conventions (documented in docs/benchmarks.md):
- ``lcc_curve(g, order)`` gives the size of the largest connected component after removing the first k nodes of
  ``order``, for k = 0..len(order) (entry 0 is the intact graph), computed by reverse union-find in O(m α).
- ``robustness`` R = (1/N) Σ_{k=1..N} LCC(k)/N (Schneider et al. 2011), over the whole removal sequence; vertices not
  in the sequence are removed afterwards by residual degree (they change R little once the LCC is small).
- ``auc_to_size`` is the GDM/MIND protocol: scipy Simpson integral (dx = 1) of LCC(k)/N over k = 1..K, where K is
  the first removal after which LCC ≤ limit; ``mind_limit`` (LCC < 0.1 N) and ``lcc_protocol_limit`` (LCC ≤
  ceil(0.1 N)) are the two stop rules of the published / reproduced results.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import igraph as ig
import numpy as np


def remaining_graph(g: ig.Graph, removed: Iterable[int]) -> ig.Graph:
    """The graph without the removed vertices (vertex attribute ``orig`` keeps the original index)."""
    gone = set(removed)
    keep = [v for v in range(g.vcount()) if v not in gone]
    sub = g.induced_subgraph(keep)
    sub.vs["orig"] = keep
    return sub


def component_sizes(g: ig.Graph, removed: Iterable[int] = ()) -> list[int]:
    """Sizes of the connected components left after removing ``removed``, largest first."""
    sub = remaining_graph(g, removed)
    if sub.vcount() == 0:
        return []
    return sorted(sub.connected_components().sizes(), reverse=True)


def lcc_size(g: ig.Graph, removed: Iterable[int] = ()) -> int:
    sizes = component_sizes(g, removed)
    return sizes[0] if sizes else 0


def fragmentation(g: ig.Graph, removed: Iterable[int] = ()) -> float:
    """Borgatti's fragmentation F = 1 - Σ s(s-1) / (n(n-1)) over the remaining n vertices (1 = all isolated)."""
    sizes = component_sizes(g, removed)
    n = sum(sizes)
    if n < 2:
        return 1.0
    return 1.0 - sum(s * (s - 1) for s in sizes) / (n * (n - 1))


def efficiency(g: ig.Graph, removed: Iterable[int] = (), *, sample: int = 400, seed: int = 0) -> float:
    """Global efficiency (Latora & Marchiori): mean of 1/d(u, v) over ordered pairs of the remaining vertices.

    Exact for up to ``sample`` remaining vertices; above that, estimated from BFS out of ``sample`` sources drawn
    with ``seed`` (unbiased: each source averages over all other vertices).
    """
    sub = remaining_graph(g, removed)
    n = sub.vcount()
    if n < 2:
        return 0.0
    if n <= sample:
        sources = None
    else:
        rng = np.random.default_rng(seed)
        sources = sorted(rng.choice(n, size=sample, replace=False).tolist())
    harmonic = sub.harmonic_centrality(vertices=sources, normalized=True)
    return float(np.mean(harmonic))


def lcc_curve(g: ig.Graph, order: Sequence[int]) -> list[int]:
    """LCC size after removing the first k vertices of ``order``, k = 0..len(order), by reverse union-find."""
    n = g.vcount()
    adj = g.get_adjlist()
    parent = list(range(n))
    size = [1] * n
    present = [True] * n
    for v in order:
        present[v] = False

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    best = 0

    def add(v: int) -> None:
        nonlocal best
        present[v] = True
        for u in adj[v]:
            if present[u]:
                a, b = find(v), find(u)
                if a != b:
                    if size[a] < size[b]:
                        a, b = b, a
                    parent[b] = a
                    size[a] += size[b]
        s = size[find(v)]
        if s > best:
            best = s

    for v in range(n):
        if present[v]:
            present[v] = False
            add(v)
    curve = [best]
    for v in reversed(order):
        add(v)
        curve.append(best)
    curve.reverse()
    return curve


def mind_limit(n: int, threshold: float = 0.1) -> int:
    """MIND/GDM stop rule: dismantled when LCC < threshold·N, i.e. LCC ≤ ceil(threshold·N) - 1."""
    return max(0, math.ceil(threshold * n) - 1)


def lcc_protocol_limit(n: int, threshold: float = 0.1) -> int:
    """Stop rule of the reproduced 'LCC protocol' results: dismantled when LCC ≤ ceil(threshold·N)."""
    return math.ceil(threshold * n)


def steps_to_size(curve: Sequence[int], limit: int) -> int | None:
    """Number of removals K after which the LCC first has at most ``limit`` vertices (None if never)."""
    for k, s in enumerate(curve):
        if s <= limit:
            return k
    return None


def fraction_to_size(curve: Sequence[int], n: int, limit: int) -> float | None:
    k = steps_to_size(curve, limit)
    return None if k is None else k / n


def auc_to_size(curve: Sequence[int], n: int, limit: int) -> float | None:
    """GDM/MIND AUC: scipy Simpson (dx = 1) of LCC(k)/N for k = 1..K, K = first k with LCC ≤ ``limit``."""
    from scipy.integrate import simpson

    k = steps_to_size(curve, limit)
    if k is None:
        return None
    ys = np.asarray(curve[1 : k + 1], dtype=float) / n
    if len(ys) == 0:
        return 0.0
    if len(ys) == 1:
        return float(ys[0])
    return float(simpson(ys, dx=1))


def robustness(g: ig.Graph, order: Sequence[int]) -> float:
    """Schneider's R = (1/N) Σ_{k=1..N} LCC(k)/N for the full removal sequence: ``order`` first, then the vertices
    left, highest residual degree first (they matter little once the largest component is small)."""
    n = g.vcount()
    if n == 0:
        return 0.0
    seen = set(order)
    rest = [v for v in range(n) if v not in seen]
    residual = remaining_graph(g, seen)
    deg = dict(zip(residual.vs["orig"], residual.degree(), strict=True)) if rest else {}
    rest.sort(key=lambda v: (-deg[v], v))
    curve = lcc_curve(g, [*order, *rest])
    return sum(curve[1:]) / (n * n)
