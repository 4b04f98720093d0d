"""Each strategy on graphs where the right answer is obvious; exclusions, costs and exact search."""

from __future__ import annotations

import itertools
import random

import igraph as ig
import pytest

from filiere.analyze.dismantle import ALL_STRATEGIES, dismantling_curve, plan
from filiere.analyze.dismantle.exact import exact_min_lcc
from filiere.analyze.dismantle.metrics import auc_to_size, lcc_size
from filiere.analyze.dismantle.problem import make_problem
from filiere.analyze.dismantle.reinsertion import reinsert

SEQUENCE_STRATEGIES = [s for s in ALL_STRATEGIES if s != "optimised"]


def two_cliques() -> tuple[ig.Graph, int, int]:
    """Two 6-cliques joined by one bridge edge between vertices 2 and 9 (neither is vertex 0)."""
    g = ig.Graph.Full(6) + ig.Graph.Full(6)
    g.add_edge(2, 9)
    return g, 2, 9


def star(centre: int = 4, n: int = 9) -> ig.Graph:
    return ig.Graph([(centre, v) for v in range(n) if v != centre])


@pytest.mark.parametrize("strategy", [s for s in ALL_STRATEGIES if s != "collective_influence"])
def test_star_centre_goes_first(strategy):
    # (CI_2 is zero everywhere on a star: nothing lies at distance 2 from a leaf's neighbourhood frontier.)
    result = plan(star(), 1, strategies=[strategy])[0]
    assert result.targets == [4]
    assert result.lcc_after == 1


@pytest.mark.parametrize("strategy", ALL_STRATEGIES)
def test_bridge_endpoints_are_picked(strategy):
    g, a, b = two_cliques()
    result = plan(g, 1, strategies=[strategy])[0]
    assert result.targets[0] in {a, b}
    assert result.lcc_before == 12
    assert result.lcc_after == 6
    assert len(result.reasons) == 1


def test_path_is_cut_in_the_middle():
    path = ig.Graph.Ring(7, circular=False)
    results = {r.strategy: r for r in plan(path, 1, strategies=["betweenness_adaptive", "optimised", "gnd"])}
    assert results["betweenness_adaptive"].targets == [3]
    assert results["optimised"].targets == [3]
    assert results["optimised"].lcc_after == 3


def test_excluded_vertices_are_never_targets():
    g, a, b = two_cliques()
    for result in plan(g, 3, excluded=[a, b]):
        assert not {a, b} & set(result.targets), result.strategy
        assert result.cost <= 3


def test_excluded_respected_on_random_graphs_and_curves():
    rng = random.Random(11)
    g = random_graph(rng, 60, 0.085)
    excluded = set(rng.sample(range(60), 15))
    for result in plan(g, 5, excluded=excluded):
        assert not excluded & set(result.targets), result.strategy
    for strategy in ALL_STRATEGIES:
        curve = dismantling_curve(g, strategy, limit=6, excluded=excluded)
        assert not excluded & set(curve.targets), strategy


def test_costs_are_respected():
    g, a, b = two_cliques()
    costs = {a: 10.0, b: 10.0}
    for result in plan(g, 3, costs=costs):
        assert result.cost <= 3, result.strategy
        assert not {a, b} & set(result.targets)
    # with enough budget, paying for one bridge end is worth it for the optimised plan
    best = plan(g, 10, costs=costs, strategies=["optimised"])[0]
    assert best.lcc_after <= 6


def test_bad_inputs_are_rejected():
    g, _, _ = two_cliques()
    with pytest.raises(ValueError, match="unknown strategy"):
        plan(g, 1, strategies=["magic"])
    with pytest.raises(ValueError, match="not in the graph"):
        plan(g, 1, excluded=[99])
    with pytest.raises(ValueError, match="must be positive"):
        plan(g, 1, costs={0: 0.0})


def brute_force_min_lcc(g: ig.Graph, k: int, excluded: set[int]) -> int:
    candidates = [v for v in range(g.vcount()) if v not in excluded]
    best = lcc_size(g)
    for size in range(1, k + 1):
        for combo in itertools.combinations(candidates, size):
            best = min(best, lcc_size(g, combo))
    return best


def random_graph(rng: random.Random, n: int, density: float) -> ig.Graph:
    return ig.Graph(n=n, edges=[(u, v) for u in range(n) for v in range(u + 1, n) if rng.random() < density])


def test_exact_matches_brute_force_on_random_graphs():
    rng = random.Random(5)
    for trial in range(150):
        n = rng.randint(6, 14)
        g = random_graph(rng, n, rng.uniform(0.12, 0.45))
        excluded = set(rng.sample(range(n), rng.randint(0, 3))) if trial % 2 else set()
        k = rng.randint(1, 4)
        p = make_problem(g, excluded=excluded)
        allowed = [v for v in range(n) if v not in excluded]
        start = rng.sample(allowed, min(k, len(allowed))) if trial % 3 == 0 else []
        result = exact_min_lcc(p, k, start=start)
        assert result.proven
        assert result.lcc == brute_force_min_lcc(g, k, excluded)
        assert len(result.targets) <= k and not excluded & set(result.targets)
        assert lcc_size(g, result.targets) == result.lcc


def test_optimised_plan_is_never_worse_than_the_classical_ones():
    g = random_graph(random.Random(2), 90, 0.04)
    results = {r.strategy: r for r in plan(g, 6)}
    assert results["optimised"].lcc_after <= min(r.lcc_after for r in results.values())


def test_optimised_curve_never_worse_than_adaptive_betweenness():
    g = random_graph(random.Random(4), 120, 0.036)
    limit = 12
    hba = dismantling_curve(g, "betweenness_adaptive", limit=limit)
    opt = dismantling_curve(g, "optimised", limit=limit, time_budget=2.0)
    assert auc_to_size(opt.lcc, 120, limit) <= auc_to_size(hba.lcc, 120, limit)
    assert opt.lcc[-1] <= limit


def test_reinsertion_keeps_the_graph_dismantled():
    g = ig.Graph.Barabasi(200, 2)
    hba = dismantling_curve(g, "degree_adaptive", limit=10)
    kept = reinsert(g, hba.targets, 10)
    assert set(kept) <= set(hba.targets)
    assert lcc_size(g, kept) <= 10
    assert len(kept) <= len(hba.targets)
