"""Classical dismantling heuristics, each returning a removal sequence with the score that chose every target.

All adaptive strategies work on the current largest connected component (LCC): they recompute their score on it,
remove the affordable vertex with the best score per unit cost, and repeat. ``batch_fraction`` > 0 removes the
top ``max(1, batch_fraction · |LCC|)`` vertices per recomputation (used on large graphs; stated in the benchmark).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import igraph as ig
import numpy as np

from filiere.analyze.dismantle.metrics import lcc_curve
from filiere.analyze.dismantle.problem import Problem, Removal


@dataclass
class RemovalSequence:
    """A removal sequence: targets in order, the score each had when chosen, and what the score measures."""

    strategy: str
    targets: list[int]
    scores: list[float]
    score_name: str
    notes: list[str] = field(default_factory=list)


ScoreFn = Callable[[ig.Graph], Sequence[float]]


def adaptive(p: Problem, name: str, score_name: str, score: ScoreFn, batch_fraction: float = 0.0) -> RemovalSequence:
    """Generic adaptive loop: score the LCC, remove the best affordable vertex (or batch), repeat."""
    state = Removal(p)
    scores: list[float] = []
    while True:
        lcc = state.largest()
        if state.done(lcc):
            break
        sub = p.graph.induced_subgraph(lcc)
        values = np.asarray(score(sub), dtype=float)
        ranked = sorted(
            (i for i, v in enumerate(lcc) if state.affordable(v)),
            key=lambda i: (-values[i] / p.cost[lcc[i]], lcc[i]),
        )
        if not remove_batch(state, lcc, ranked, batch_fraction, values, scores):
            break
    return RemovalSequence(name, state.order, scores, score_name)


def remove_batch(state: Removal, lcc: Sequence[int], ranked: Sequence[int], batch_fraction: float,
                 values: Sequence[float], scores: list[float]) -> int:
    """Remove the best affordable LCC vertices of ``ranked`` (indices into ``lcc``): one, or a batch of
    max(1, batch_fraction · |LCC|); append each one's score (``values[i]``); return how many were removed."""
    take = max(1, int(batch_fraction * len(lcc))) if batch_fraction > 0 else 1
    removed = 0
    for i in ranked:
        if removed >= take:
            break
        if state.affordable(lcc[i]):
            state.remove(lcc[i])
            scores.append(float(values[i]))
            removed += 1
    return removed


def static(p: Problem, name: str, score_name: str, values: Sequence[float]) -> RemovalSequence:
    """Remove vertices in the order of a score computed once on the whole graph, until the LCC is small enough."""
    vals = np.asarray(values, dtype=float)
    ranked = sorted((v for v in range(p.n) if p.allowed[v]), key=lambda v: (-vals[v] / p.cost[v], v))
    state = Removal(p)
    for v in ranked:
        if state.affordable(v):
            state.remove(v)
    order = state.order
    curve = lcc_curve(p.graph, order)
    cut = next((k for k, s in enumerate(curve) if s <= p.stop_size), len(order))
    order = order[:cut]
    return RemovalSequence(name, order, [float(vals[v]) for v in order], score_name)


def degree_static(p: Problem, **_: object) -> RemovalSequence:
    return static(p, "degree", "degree in the whole network", p.graph.degree())


def sampled_betweenness(g: ig.Graph, sample_sources: int | None, rng: np.random.Generator) -> list[float]:
    """Exact betweenness, or the Brandes-Pich estimate from ``sample_sources`` random sources on larger graphs."""
    if sample_sources is not None and g.vcount() > sample_sources:
        sources = sorted(rng.choice(g.vcount(), size=sample_sources, replace=False).tolist())
        return g.betweenness(directed=False, sources=sources)
    return g.betweenness(directed=False)


def betweenness_static(p: Problem, sample_sources: int | None = None, **_: object) -> RemovalSequence:
    rng = np.random.default_rng(p.seed)
    values = sampled_betweenness(p.graph, sample_sources, rng)
    return static(p, "betweenness", "betweenness in the whole network", values)


def degree_adaptive(p: Problem, batch_fraction: float = 0.0, **_: object) -> RemovalSequence:
    return adaptive(p, "degree_adaptive", "degree in the largest remaining group", lambda s: s.degree(), batch_fraction)


def betweenness_adaptive(
    p: Problem, batch_fraction: float = 0.0, sample_sources: int | None = None, **_: object
) -> RemovalSequence:
    """Adaptive betweenness; with ``sample_sources`` set, groups larger than that use the betweenness from that many
    sources drawn with the problem's seed (Brandes-Pich estimate), which keeps ~7,000-node networks tractable."""
    rng = np.random.default_rng(p.seed)

    def score(sub: ig.Graph) -> list[float]:
        return sampled_betweenness(sub, sample_sources, rng)

    name = "betweenness in the largest remaining group"
    if sample_sources is not None:
        name += f" (estimated from {sample_sources} sources when the group is larger)"
    return adaptive(p, "betweenness_adaptive", name, score, batch_fraction)


def collective_influence_scores(sub: ig.Graph, radius: int = 2) -> list[float]:
    """CI_l(i) = (k_i - 1) Σ_{j at distance exactly l} (k_j - 1) (Morone & Makse 2015)."""
    deg = np.asarray(sub.degree(), dtype=float) - 1.0
    frontier = sub.neighborhood(order=radius, mindist=radius)
    return [float(deg[i] * sum(deg[j] for j in ball)) if deg[i] > 0 else 0.0 for i, ball in enumerate(frontier)]


def collective_influence(p: Problem, batch_fraction: float = 0.0, radius: int = 2, **_: object) -> RemovalSequence:
    return adaptive(
        p,
        "collective_influence",
        f"collective influence CI_{radius} in the largest remaining group",
        lambda s: collective_influence_scores(s, radius),
        batch_fraction,
    )


def core_hd_scores(sub: ig.Graph) -> list[float]:
    """Degree inside the 2-core (CoreHD, Zdeborová et al. 2016); on a tree (empty 2-core), plain degree / 1000."""
    core = sub.coreness()
    in_core = [i for i, c in enumerate(core) if c >= 2]
    if not in_core:
        return [d / 1000.0 for d in sub.degree()]
    core_deg = sub.induced_subgraph(in_core).degree()
    out = [0.0] * sub.vcount()
    for i, d in zip(in_core, core_deg, strict=True):
        out[i] = float(d)
    return out


def core_hd(p: Problem, batch_fraction: float = 0.0, **_: object) -> RemovalSequence:
    return adaptive(p, "corehd", "degree in the 2-core of the largest remaining group", core_hd_scores, batch_fraction)
