"""Borgatti's key-player problem, negative side (KPP-Neg, 2006): the set whose removal fragments the network most.

Fragmentation F = 1 - Σ s(s-1) / (n(n-1)) over the remaining components. Greedy: repeatedly remove the affordable
vertex of the largest component with the largest drop in Σ s(s-1) per unit cost (all candidates scored at once by
one lowpoint DFS); for a fixed budget the greedy set is then improved by swaps (Borgatti's search).
"""

from __future__ import annotations

from filiere.analyze.dismantle.optimise import fragmentation_objective, improve_set
from filiere.analyze.dismantle.pieces import removal_pieces
from filiere.analyze.dismantle.problem import Problem, Removal
from filiere.analyze.dismantle.strategies import RemovalSequence, remove_batch


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
        gain_f = [g / (p.n * (p.n - 1)) for g in gain]  # as a change in fragmentation F
        if not remove_batch(state, lcc, ranked, batch_fraction, gain_f, scores):
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
