"""The optimised planner: improve target sets and removal orders directly on the measure that counts.

- For a dismantling curve (benchmark): take the sequences of the classical strategies, cut each where the LCC
  reaches the limit, shrink it by greedy reinsertion, try three orders (as found, the reinsertion set in the
  original order, the reversed reinsertion order, and the strategy's first j removals kept with the rest reinserted
  and re-ordered, j = 10%..90%), keep the three with the smallest AUC and improve each by swaps: adjacent ones (a
  swap of positions i and i+1 changes only LCC(i+1), so each move costs one component count) and, on small graphs,
  swaps up to 6 positions apart, until no swap helps or the time budget is spent. The result is never worse than
  the best input sequence.
- For a budget k (a plan): local search over target sets: swap one target for a candidate from the largest
  remaining components while (LCC, -fragmentation) improves and the cost stays within budget.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import igraph as ig
import numpy as np

from filiere.analyze.dismantle.metrics import auc_to_size, lcc_curve
from filiere.analyze.dismantle.problem import Problem, Removal
from filiere.analyze.dismantle.reinsertion import reinsert, reinsertion_order


def _auc(curve: Sequence[int], n: int, limit: int) -> float:
    value = auc_to_size(curve, n, limit)
    return float("inf") if value is None else value


def _cut(g: ig.Graph, order: Sequence[int], limit: int) -> list[int]:
    curve = lcc_curve(g, order)
    k = next((i for i, s in enumerate(curve) if s <= limit), len(order))
    return list(order[:k])


def _lcc_without(g: ig.Graph, alive: np.ndarray) -> int:
    keep = np.flatnonzero(alive)
    if len(keep) == 0:
        return 0
    return max(g.induced_subgraph(keep.tolist()).connected_components().sizes())


def swap_descent(g: ig.Graph, order: list[int], limit: int, deadline: float) -> list[int]:
    """Adjacent-swap local search on the AUC to ``limit``; each accepted swap strictly lowers the AUC."""
    n = g.vcount()
    order = list(order)
    curve = lcc_curve(g, order)
    best = _auc(curve, n, limit)
    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        alive = np.ones(n, dtype=bool)
        for i in range(len(order) - 1):
            if time.monotonic() > deadline:
                break
            # alive = graph without order[:i]; try removing order[i + 1] before order[i]
            alive[order[i + 1]] = False
            new_lcc = _lcc_without(g, alive)
            alive[order[i + 1]] = True
            if new_lcc < curve[i + 1]:
                cand = list(curve)
                cand[i + 1] = new_lcc
                cand_order = [*order[:i], order[i + 1], order[i], *order[i + 2 :]]
                value = _auc(cand, n, limit)
                if value < best - 1e-12:
                    order, curve, best = cand_order, cand, value
                    improved = True
            alive[order[i]] = False
    return order


def window_swaps(g: ig.Graph, order: list[int], limit: int, deadline: float, window: int = 6) -> list[int]:
    """Swap positions i < j ≤ i + window (full curve re-evaluated per move; for small graphs)."""
    n = g.vcount()
    order = list(order)
    best = _auc(lcc_curve(g, order), n, limit)
    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        for i in range(len(order) - 1):
            for j in range(i + 2, min(len(order), i + window + 1)):
                if time.monotonic() > deadline:
                    return order
                trial = list(order)
                trial[i], trial[j] = trial[j], trial[i]
                value = _auc(lcc_curve(g, trial), n, limit)
                if value < best - 1e-12:
                    order, best, improved = trial, value, True
    return order


WINDOW_SWAP_MAX_EDGES = 5000


def optimise_sequence(
    g: ig.Graph, bases: dict[str, Sequence[int]], limit: int, time_budget: float = 5.0
) -> tuple[list[int], str]:
    """Best removal order (smallest AUC to ``limit``) derived from the base sequences, and how it was obtained."""
    deadline = time.monotonic() + time_budget
    adj = g.get_adjlist()
    n = g.vcount()
    candidates: list[tuple[float, str, list[int]]] = []
    for name, seq in bases.items():
        cut = _cut(g, seq, limit)
        candidates.append((_auc(lcc_curve(g, cut), n, limit), name, cut))
        kept = reinsert(g, cut, limit, adj)
        candidates.append((_auc(lcc_curve(g, kept), n, limit), f"{name} + reinsertion", kept))
        back, _ = reinsertion_order(g, kept, None, adj)
        rev = back[::-1]
        candidates.append((_auc(lcc_curve(g, rev), n, limit), f"{name} + reinsertion, reversed reinsertion order", rev))
        # Keep the strategy's first j removals, reinsert and re-order only the rest (tail reinsertion).
        for tenth in range(1, 10):
            j = len(cut) * tenth // 10
            prefix, suffix = cut[:j], cut[j:]
            if not suffix or time.monotonic() > deadline:
                continue
            _, tail = reinsertion_order(g, suffix, limit, adj, fixed=prefix)
            back, _ = reinsertion_order(g, tail, None, adj, fixed=prefix)
            order = [*prefix, *back[::-1]]
            how = f"{name}: first {j} kept, rest reinserted and re-ordered"
            candidates.append((_auc(lcc_curve(g, order), n, limit), how, order))
    candidates.sort(key=lambda c: (c[0], len(c[2])))
    best_value, best_how, best_order = candidates[0]
    for value, how, order in candidates[:3]:  # adjacent swaps on the three best starts, while time lasts
        if time.monotonic() > deadline:
            break
        improved = swap_descent(g, order, limit, deadline)
        if g.ecount() <= WINDOW_SWAP_MAX_EDGES:
            improved = swap_descent(g, window_swaps(g, improved, limit, deadline), limit, deadline)
        new_value = _auc(lcc_curve(g, improved), n, limit)
        if new_value < best_value - 1e-12:
            best_value, best_order = new_value, improved
            best_how = f"{how} + swaps ({value:.3f} → {new_value:.3f})"
    return best_order, best_how


def _sizes(p: Problem, removed: Sequence[int]) -> list[int]:
    return Removal(p, removed).sizes()


def _frag(sizes: Sequence[int]) -> float:
    n = sum(sizes)
    return 1.0 - sum(s * (s - 1) for s in sizes) / (n * (n - 1)) if n > 1 else 1.0


def lcc_objective(p: Problem, removed: Sequence[int]) -> tuple[float, ...]:
    """Smaller is better: largest remaining component, then more fragmentation."""
    sizes = _sizes(p, removed)
    return (sizes[0] if sizes else 0, -_frag(sizes))


def fragmentation_objective(p: Problem, removed: Sequence[int]) -> tuple[float, ...]:
    """Smaller is better: Borgatti's KPP-Neg (more fragmentation), then the largest component."""
    sizes = _sizes(p, removed)
    return (-_frag(sizes), sizes[0] if sizes else 0)


Objective = Callable[[Problem, Sequence[int]], tuple[float, ...]]


def improve_set(
    p: Problem,
    start: Sequence[int],
    time_budget: float = 3.0,
    candidates: int = 60,
    objective: Objective = lcc_objective,
) -> list[int]:
    """Swap local search for a fixed budget, starting from ``start``: replace one target by a well-placed vertex
    (high betweenness in one of the three largest remaining components) while the objective improves."""
    deadline = time.monotonic() + time_budget
    current = list(start)
    best = objective(p, current)
    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        state = Removal(p, current)
        comps = state.components()
        pool: list[int] = []
        for comp in comps[:3]:
            sub = p.graph.induced_subgraph(comp)
            btw = sub.betweenness() if len(comp) <= 3000 else sub.degree()
            ranked = sorted(range(len(comp)), key=lambda i: -btw[i])
            pool.extend(comp[i] for i in ranked[:candidates] if p.allowed[comp[i]])
        for i, old in enumerate(list(current)):
            if improved or time.monotonic() > deadline:
                break
            spent = float(sum(p.cost[v] for v in current)) - float(p.cost[old])
            for new in pool:
                if time.monotonic() > deadline:
                    break
                if new in current or spent + p.cost[new] > p.budget + 1e-9:
                    continue
                trial = [*current[:i], new, *current[i + 1 :]]
                value = objective(p, trial)
                if value < best:
                    current, best, improved = trial, value, True
                    break
    return current
