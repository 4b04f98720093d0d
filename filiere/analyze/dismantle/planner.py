"""Public API of the disruption planner: compare target sets for a budget, and dismantling curves for benchmarks."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import igraph as ig

from filiere.analyze.dismantle.exact import exact_min_lcc
from filiere.analyze.dismantle.gnd import generalized_network_dismantling
from filiere.analyze.dismantle.kpp import kpp_neg
from filiere.analyze.dismantle.metrics import efficiency, lcc_curve
from filiere.analyze.dismantle.optimise import improve_set, lcc_objective, optimise_sequence
from filiere.analyze.dismantle.problem import Problem, Removal, make_problem
from filiere.analyze.dismantle.resilience import recover
from filiere.analyze.dismantle.strategies import (
    RemovalSequence,
    betweenness_adaptive,
    betweenness_static,
    collective_influence,
    core_hd,
    degree_adaptive,
    degree_static,
)

OPTIMISED = "optimised"
STRATEGIES: dict[str, Callable[..., RemovalSequence]] = {
    "degree": degree_static,
    "betweenness": betweenness_static,
    "degree_adaptive": degree_adaptive,
    "betweenness_adaptive": betweenness_adaptive,
    "collective_influence": collective_influence,
    "corehd": core_hd,
    "gnd": generalized_network_dismantling,
    "kpp_neg": kpp_neg,
}
ALL_STRATEGIES: tuple[str, ...] = (*STRATEGIES, OPTIMISED)
# Above this many vertices, betweenness is estimated from sampled sources and CI is recomputed in batches.
LARGE_GRAPH = 2000
EXACT_MAX_K = 4
EXACT_MAX_N = 500


@dataclass
class PlanResult:
    strategy: str
    targets: list[int]  # vertex indices, in arrest order
    cost: float
    lcc_before: int
    lcc_after: int
    efficiency_before: float
    efficiency_after: float
    lcc_after_recovery: int
    efficiency_after_recovery: float
    reasons: list[str]  # one per target: why it was chosen, in words and numbers
    notes: list[str] = field(default_factory=list)


@dataclass
class Curve:
    strategy: str
    targets: list[int]
    lcc: list[int]  # LCC size after k removals, k = 0..len(targets)
    note: str = ""


def _check_names(names: Iterable[str]) -> list[str]:
    names = list(names)
    unknown = [s for s in names if s not in ALL_STRATEGIES]
    if unknown:
        raise ValueError(f"unknown strategy {', '.join(unknown)}; known: {', '.join(ALL_STRATEGIES)}")
    return names


def _run(name: str, p: Problem, options: Mapping[str, object]) -> RemovalSequence:
    return STRATEGIES[name](p, **options)


def _options(p: Problem) -> dict[str, object]:
    if p.n > LARGE_GRAPH:
        return {"sample_sources": 128, "batch_fraction": 0.001, "time_budget": 1.0}
    return {"time_budget": 1.0}


def _greedy_order(p: Problem, targets: Sequence[int]) -> list[int]:
    """Order a target set so that each arrest shrinks the largest group as much as possible."""
    left, order = list(targets), []
    while left:
        nxt = min(left, key=lambda v: (lcc_objective(p, [*order, v]), v))
        order.append(nxt)
        left.remove(nxt)
    return order


def _optimised(
    p: Problem, seeds: Mapping[str, RemovalSequence], time_budget: float, exact_seconds: float
) -> RemovalSequence:
    starts = {name: seq.targets for name, seq in seeds.items() if seq.targets}
    if not starts:
        return RemovalSequence(OPTIMISED, [], [], "")
    per_start = time_budget / max(1, len(starts))
    tried = []
    for name, start in starts.items():
        improved = improve_set(p, start, time_budget=per_start)
        tried.append((lcc_objective(p, improved), name, improved))
    tried.sort(key=lambda t: (t[0], len(t[2])))
    value, origin, best = tried[0]
    how = f"local search (target swaps) from the {origin} plan"
    if p.unit_cost and len(best) <= EXACT_MAX_K and p.n <= EXACT_MAX_N and math.isfinite(p.budget):
        k = min(int(p.budget), EXACT_MAX_K)
        exact = exact_min_lcc(p, k, start=best, time_limit=exact_seconds)
        if exact.lcc < value[0]:
            best = exact.targets
        how = (
            f"exact search over all sets of {k}: proven minimum largest group ({exact.lcc}, {exact.seconds:.1f} s)"
            if exact.proven
            else f"exact search stopped at its time limit; best found {exact.lcc}"
        )
    ordered = _greedy_order(p, best)
    return RemovalSequence(OPTIMISED, ordered, [float("nan")] * len(ordered), how, notes=[how])


class _SizesCache:
    """Component sizes after removing a set, memoised: strategies often share their first targets."""

    def __init__(self, p: Problem) -> None:
        self.p = p
        self.memo: dict[frozenset[int], list[int]] = {}

    def __call__(self, removed: Sequence[int]) -> list[int]:
        key = frozenset(removed)
        if key not in self.memo:
            self.memo[key] = Removal(self.p, removed).sizes()
        return self.memo[key]


def _reasons(p: Problem, seq: RemovalSequence, sizes: _SizesCache) -> list[str]:
    out = []
    before = sizes([])
    for i, v in enumerate(seq.targets):
        after = sizes(seq.targets[: i + 1])
        why = seq.score_name if seq.strategy == OPTIMISED else f"{seq.score_name} = {seq.scores[i]:.4g}"
        effect = f"arrest {i + 1}: largest group {before[0] if before else 0} → {after[0] if after else 0}"
        if len(after) > len(before):
            effect += f", splits off {len(after) - len(before)} group(s)"
        out.append(f"{why}; {effect}; degree {p.graph.degree(v)}")
        before = after
    return out


def plan(
    g: ig.Graph,
    budget: int,
    *,
    strategies: Sequence[str] | None = None,
    costs: Mapping[int, float] | None = None,
    excluded: Iterable[int] = (),
    seed: int = 0,
    relink_probability: float = 0.8,
    optimise_seconds: float = 3.0,
    exact_seconds: float = 20.0,
) -> list[PlanResult]:
    """Target sets for ``budget`` (total cost; one per target unless ``costs`` says otherwise), one per strategy.

    ``excluded`` vertices (victims, people already in custody) are never targets. Every plan is measured by the
    largest remaining group and the efficiency, before and after the resilience model re-links the network.
    ``optimise_seconds`` caps the set local search, ``exact_seconds`` the exact search (unit costs, budget ≤ 4,
    ≤ 500 vertices; when it stops early the plan says so in its notes)."""
    names = _check_names(strategies if strategies is not None else ALL_STRATEGIES)
    p = make_problem(g, budget=budget, costs=costs, excluded=excluded, stop_size=1, seed=seed)
    options = _options(p)
    sample = 64 if p.n > LARGE_GRAPH else 400
    sizes = _SizesCache(p)
    lcc0 = sizes([])[0] if p.n else 0
    eff0 = efficiency(p.graph, (), sample=sample, seed=seed)
    if p.n > LARGE_GRAPH:
        optimise_seconds = min(optimise_seconds, 1.0)
    sequences: dict[str, RemovalSequence] = {}
    for name in names:
        if name != OPTIMISED:
            sequences[name] = _run(name, p, options)
    if OPTIMISED in names:
        seeds = dict(sequences)
        for name in ("betweenness_adaptive", "gnd", "degree_adaptive"):
            if name not in seeds:
                seeds[name] = _run(name, p, options)
        sequences[OPTIMISED] = _optimised(p, seeds, optimise_seconds, exact_seconds)
    results = []
    for name in names:
        seq = sequences[name]
        rec = recover(p.graph, seq.targets, relink_probability=relink_probability, seed=seed, efficiency_sample=sample)
        after = sizes(seq.targets)
        results.append(
            PlanResult(
                strategy=name,
                targets=seq.targets,
                cost=float(sum(p.cost[v] for v in seq.targets)),
                lcc_before=lcc0,
                lcc_after=after[0] if after else 0,
                efficiency_before=eff0,
                efficiency_after=efficiency(p.graph, seq.targets, sample=sample, seed=seed),
                lcc_after_recovery=rec.lcc,
                efficiency_after_recovery=rec.efficiency,
                reasons=_reasons(p, seq, sizes),
                notes=list(seq.notes),
            )
        )
    return results


def dismantling_curve(
    g: ig.Graph,
    strategy: str,
    *,
    limit: int = 1,
    excluded: Iterable[int] = (),
    costs: Mapping[int, float] | None = None,
    seed: int = 0,
    batch_fraction: float = 0.0,
    sample_sources: int | None = None,
    bases: Mapping[str, Sequence[int]] | None = None,
    time_budget: float = 5.0,
) -> Curve:
    """Removal sequence of one strategy until the largest component has at most ``limit`` vertices.

    For ``optimised``, ``bases`` are the sequences to start from (computed with the classical strategies when not
    given); the result has the smallest AUC to ``limit`` found (see ``optimise.optimise_sequence``)."""
    _check_names([strategy])
    p = make_problem(g, excluded=excluded, costs=costs, stop_size=limit, seed=seed)
    if strategy == OPTIMISED:
        if bases is None:
            bases = {
                name: _run(name, p, {"batch_fraction": batch_fraction, "sample_sources": sample_sources}).targets
                for name in ("betweenness_adaptive", "degree_adaptive", "gnd", "corehd", "collective_influence")
            }
        t0 = time.monotonic()
        order, how = optimise_sequence(p.graph, dict(bases), limit, time_budget=time_budget)
        return Curve(OPTIMISED, order, lcc_curve(p.graph, order), f"{how} ({time.monotonic() - t0:.1f} s)")
    options: dict[str, object] = {"batch_fraction": batch_fraction, "sample_sources": sample_sources}
    seq = _run(strategy, p, options)
    return Curve(strategy, seq.targets, lcc_curve(p.graph, seq.targets), "; ".join(seq.notes))
