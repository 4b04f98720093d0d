"""Trying a disruption plan on the part of a network the viewer may see.

Uses ``filiere.analyze.dismantle.planner.plan`` when that module is installed (the best of a few fast
strategies, by the largest remaining group); otherwise a greedy plan:
repeatedly remove the member whose removal shrinks the largest connected component most. Victims are
never members and so never targets; ``excluded`` members are never proposed either.
"""

from __future__ import annotations

import importlib
from typing import Any

import igraph as ig


def graph_of(member_ids: list[str], edges: list[dict[str, Any]]) -> ig.Graph:
    index = {pid: i for i, pid in enumerate(member_ids)}
    pairs = {(index[e["person_a"]], index[e["person_b"]]) for e in edges
             if e["person_a"] in index and e["person_b"] in index and e["person_a"] != e["person_b"]}
    g = ig.Graph(n=len(member_ids), edges=sorted(pairs))
    g.vs["name"] = member_ids
    return g


def lcc_fraction(g: ig.Graph, removed: set[str], total: int) -> float:
    keep = [v.index for v in g.vs if v["name"] not in removed]
    if not keep or total == 0:
        return 0.0
    sub = g.induced_subgraph(keep)
    return max(len(c) for c in sub.connected_components()) / total


def greedy(g: ig.Graph, budget: int, excluded: set[str]) -> list[str]:
    total = g.vcount()
    chosen: list[str] = []
    for _ in range(min(budget, total)):
        candidates = [v["name"] for v in g.vs if v["name"] not in excluded and v["name"] not in chosen]
        if not candidates:
            break
        best = min(candidates, key=lambda n: (lcc_fraction(g, {*chosen, n}, total), n))
        chosen.append(best)
    return chosen


PLANNER_STRATEGIES = ("degree_adaptive", "betweenness_adaptive", "gnd", "optimised")
PLANNER_SECONDS = 0.5  # interactive: the optimiser gets half a second


def _planner(g: ig.Graph, budget: int, excluded: set[str]) -> dict[str, Any] | None:
    """The analysis stage's planner (best of several strategies), or None when it is not installed."""
    try:
        mod = importlib.import_module("filiere.analyze.dismantle.planner")
    except ImportError:
        return None
    names = g.vs["name"] if g.vcount() else []
    results = mod.plan(g, budget, strategies=PLANNER_STRATEGIES, optimise_seconds=PLANNER_SECONDS,
                       excluded=[i for i, n in enumerate(names) if n in excluded])
    if not results:
        return None
    best = min(results, key=lambda r: (r.lcc_after, r.strategy != "optimised", r.strategy))
    return {"strategy": best.strategy, "targets": [names[v] for v in best.targets], "reasons": list(best.reasons),
            "lcc_after_recovery": best.lcc_after_recovery / max(g.vcount(), 1),
            "compared": [{"strategy": r.strategy, "targets": [names[v] for v in r.targets],
                          "lcc_after": r.lcc_after / max(g.vcount(), 1)} for r in results]}


def try_plan(member_ids: list[str], edges: list[dict[str, Any]], budget: int, excluded: set[str]) -> dict[str, Any]:
    g = graph_of(member_ids, edges)
    total = g.vcount()
    found = _planner(g, budget, excluded) if total else None
    if found is None:
        found = {"strategy": "greedy_lcc", "targets": greedy(g, budget, excluded), "reasons": [], "compared": []}
    targets = [t for t in found["targets"] if t in set(member_ids) and t not in excluded][:budget]
    return {**found, "budget": budget, "targets": targets, "excluded": sorted(excluded),
            "lcc_before": lcc_fraction(g, set(), total), "lcc_after": lcc_fraction(g, set(targets), total),
            "members": total}
