"""Borgatti's key-player problem, negative side (KPP-Neg, 2006): the set whose removal fragments the network most.

Fragmentation F = 1 - Σ s(s-1) / (n(n-1)) over the remaining components. Greedy: repeatedly remove the affordable
vertex of the largest component with the largest drop in Σ s(s-1) per unit cost (all candidates scored at once by
one lowpoint DFS); for a fixed budget the greedy set is then improved by swaps (Borgatti's search).
"""

from __future__ import annotations

from filiere.analyze.dismantle.optimise import fragmentation_objective, improve_set
from filiere.analyze.dismantle.pieces import removal_pieces
from filiere.analyze.dismantle.problem import Problem, Removal
from filiere.analyze.dismantle.strategies import RemovalSequence


def kpp_greedy(p: Problem, batch_fraction: float = 0.0, **_: object) -> RemovalSequence:
    """Greedy KPP-Neg; ``batch_fraction`` > 0 takes the best max(1, fraction·|LCC|) per DFS (large graphs)."""
    state = Removal(p)
    scores: list[float] = []
    while True:
        lcc = state.largest()
        if state.done(lcc):
            break
        sub_adj = p.graph.induced_subgraph(lcc).get_adjlist()
        pieces = removal_pieces(sub_adj)
        s = len(lcc)
        gain = [s * (s - 1) - sum(q * (q - 1) for q in pc) for pc in pieces]
        ranked = sorted(
            (i for i, v in enumerate(lcc) if state.affordable(v)),
            key=lambda i: (-gain[i] / p.cost[lcc[i]], -len(sub_adj[i]), lcc[i]),
        )
        take = max(1, int(batch_fraction * len(lcc))) if batch_fraction > 0 else 1
        taken = 0
        for i in ranked:
            if taken >= take:
                break
            if state.affordable(lcc[i]):
                state.remove(lcc[i])
                scores.append(float(gain[i]) / (p.n * (p.n - 1)))
                taken += 1
        if taken == 0:
            break
    return RemovalSequence("kpp_neg", state.order, scores, "gain in fragmentation F from this removal")


def kpp_neg(p: Problem, time_budget: float = 2.0, batch_fraction: float = 0.0, **_: object) -> RemovalSequence:
    """Greedy KPP-Neg; with a finite budget, followed by swap search on fragmentation."""
    seq = kpp_greedy(p, batch_fraction)
    if seq.targets and p.budget < float("inf"):
        improved = improve_set(p, seq.targets, time_budget=time_budget, objective=fragmentation_objective)
        if improved != seq.targets:
            seq.notes.append("greedy set improved by swaps on fragmentation")
            seq.targets = improved
            seq.scores = [float("nan")] * len(improved)
    return seq
