"""Generalized network dismantling (Ren, Gleinig, Helbing & Antulov-Fantulin, PNAS 2019).

Repeatedly split the largest component in two with the Fiedler vector of a node-weighted Laplacian
L_W = D_B - B, B = A W + W A - A (W = diagonal of removal costs, so the cut prefers cheap endpoints), and remove
a cheap vertex cover of the cut edges (greedy: most cut edges per unit cost, then redundant cover vertices dropped).
Excluded vertices get a prohibitive weight and never enter the cover.
"""

from __future__ import annotations

import heapq

import igraph as ig
import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh

from filiere.analyze.dismantle.problem import Problem, Removal
from filiere.analyze.dismantle.strategies import RemovalSequence

DENSE_LIMIT = 150
EXCLUDED_WEIGHT = 1e4
SHIFT_INVERT_MAX_DEGREE = 40


def fiedler_vector(sub: ig.Graph, weight: np.ndarray) -> np.ndarray:
    n = sub.vcount()
    edges = np.asarray(sub.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    vals = weight[rows] + weight[cols] - 1.0
    b = sp.csr_matrix((vals, (rows, cols)), shape=(n, n))
    lap = sp.diags(np.asarray(b.sum(axis=1)).ravel()) - b
    if n <= DENSE_LIMIT:
        _, vecs = np.linalg.eigh(lap.toarray())
        return vecs[:, 1]
    degree = np.asarray(b.sum(axis=1)).ravel()
    if sub.maxdegree() <= SHIFT_INVERT_MAX_DEGREE:  # sparse, grid-like: LU stays sparse and converges fast
        vals, vecs = eigsh(lap.tocsc(), k=2, sigma=-1e-3, which="LM")
        return vecs[:, int(np.argmax(vals))]
    # hubs make the LU fill in: take the top of c·I - L instead (its largest is the constant vector)
    shift = 2.0 * float(degree.max())
    vals, vecs = eigsh(sp.identity(n, format="csr") * shift - lap.tocsr(), k=2, which="LA", tol=1e-6)
    return vecs[:, int(np.argmin(vals))]


def cut_cover(sub: ig.Graph, weight: np.ndarray, allowed: np.ndarray) -> list[int]:
    """Local indices of a cheap vertex cover of the edges cut by the spectral bisection, in removal order."""
    x = fiedler_vector(sub, weight)
    side = x >= 0 if 0 < int((x >= 0).sum()) < len(x) else x >= np.median(x)
    cut = [(u, v) for u, v in sub.get_edgelist() if side[u] != side[v] and (allowed[u] or allowed[v])]
    if not cut:
        return []
    incident: dict[int, set[int]] = {}
    for e, (u, v) in enumerate(cut):
        for w in (u, v):
            if allowed[w]:
                incident.setdefault(w, set()).add(e)
    covered = [False] * len(cut)
    remaining = {w: len(es) for w, es in incident.items()}
    heap = [(-remaining[w] / weight[w], w) for w in incident]
    heapq.heapify(heap)
    cover: list[int] = []
    while heap:
        key, w = heapq.heappop(heap)
        if remaining[w] == 0:
            continue
        if key != -remaining[w] / weight[w]:  # stale: gains only shrink, so re-queue with the true gain
            heapq.heappush(heap, (-remaining[w] / weight[w], w))
            continue
        cover.append(w)
        for e in incident[w]:
            if not covered[e]:
                covered[e] = True
                for x in cut[e]:
                    if x in remaining:
                        remaining[x] -= 1
    # Drop cover vertices whose cut edges are all covered by the others (latest first).
    chosen = set(cover)
    for w in reversed(cover):
        others = chosen - {w}
        if all(cut[e][0] in others or cut[e][1] in others for e in incident[w]):
            chosen.discard(w)
    return [w for w in cover if w in chosen]


def generalized_network_dismantling(p: Problem, **_: object) -> RemovalSequence:
    state = Removal(p)
    scores: list[float] = []
    base = float(p.cost[p.allowed].min()) if p.allowed.any() else 1.0
    while True:
        lcc = state.largest()
        if state.done(lcc):
            break
        sub = p.graph.induced_subgraph(lcc)
        local_allowed = np.array([state.affordable(v) for v in lcc])
        weight = np.where(local_allowed, p.cost[lcc] / base, EXCLUDED_WEIGHT)
        cover = cut_cover(sub, weight, local_allowed) if len(lcc) > 2 else []
        if not cover:  # no separable cut: fall back to the highest-degree affordable vertex
            deg = sub.degree()
            cover = [max((i for i in range(len(lcc)) if local_allowed[i]), key=lambda i: (deg[i], -i))]
        removed = 0
        for i in cover:
            if state.affordable(lcc[i]):
                state.remove(lcc[i])
                scores.append(float(len(cover)))
                removed += 1
        if removed == 0:
            break
    return RemovalSequence(
        "gnd", state.order, scores, "size of the spectral cut this target belongs to (GND vertex cover)"
    )
