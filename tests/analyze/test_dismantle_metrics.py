"""Damage measures on small graphs whose values can be worked out by hand."""

from __future__ import annotations

import random

import igraph as ig
import pytest

from filiere.analyze.dismantle.metrics import (
    auc_to_size,
    efficiency,
    fraction_to_size,
    fragmentation,
    lcc_curve,
    lcc_protocol_limit,
    lcc_size,
    mind_limit,
    robustness,
    steps_to_size,
)
from filiere.analyze.dismantle.pieces import removal_pieces


def test_lcc_curve_on_a_path():
    path = ig.Graph.Ring(7, circular=False)  # 0-1-2-3-4-5-6
    assert lcc_curve(path, [3]) == [7, 3]
    assert lcc_curve(path, [3, 1, 5]) == [7, 3, 3, 1]
    assert lcc_curve(path, []) == [7]


def test_lcc_curve_matches_recomputation_on_random_graphs():
    rng = random.Random(3)
    for _ in range(30):
        n = rng.randint(2, 30)
        g = ig.Graph.Erdos_Renyi(n=n, p=rng.random() * 0.3)
        order = rng.sample(range(n), rng.randint(0, n))
        expected = [lcc_size(g, order[:k]) for k in range(len(order) + 1)]
        assert lcc_curve(g, order) == expected


def test_efficiency_by_hand():
    assert efficiency(ig.Graph.Full(4)) == pytest.approx(1.0)
    # path a-b-c: ordered pairs at distance 1: 4, at distance 2: 2 -> (4 + 2 * 0.5) / 6
    assert efficiency(ig.Graph.Ring(3, circular=False)) == pytest.approx(5 / 6)
    assert efficiency(ig.Graph(3)) == 0.0
    # removing the middle of the path leaves two isolated vertices
    assert efficiency(ig.Graph.Ring(3, circular=False), [1]) == 0.0


def test_sampled_efficiency_is_close_to_exact():
    g = ig.Graph.Barabasi(600, 2)
    exact = efficiency(g, sample=10_000)
    assert efficiency(g, sample=200, seed=1) == pytest.approx(exact, rel=0.1)


def test_fragmentation_by_hand():
    two_pairs = ig.Graph([(0, 1), (2, 3)])
    assert fragmentation(two_pairs) == pytest.approx(1 - 4 / 12)
    assert fragmentation(ig.Graph.Full(5)) == 0.0
    assert fragmentation(ig.Graph.Star(5), [0]) == 1.0


def test_stop_rules_match_the_published_protocols():
    assert mind_limit(453) == 45  # LCC < 45.3
    assert mind_limit(260) == 25  # LCC < 26
    assert lcc_protocol_limit(754) == 76


def test_auc_and_fraction_by_hand():
    curve = [10, 8, 5, 1, 1]
    assert steps_to_size(curve, 1) == 3
    assert fraction_to_size(curve, 10, 1) == pytest.approx(0.3)
    # Simpson, dx = 1, over k = 1..3: (0.8 + 4 * 0.5 + 0.1) / 3
    assert auc_to_size(curve, 10, 1) == pytest.approx(2.9 / 3)
    assert auc_to_size([10, 9], 10, 1) is None


def test_robustness_of_a_star():
    star = ig.Graph.Star(5)  # centre 0
    # removing the centre leaves isolated leaves: LCC = 1, 1, 1, 1, 0 after k = 1..5
    assert robustness(star, [0]) == pytest.approx((1 + 1 + 1 + 1 + 0) / 25)
    assert robustness(star, [1]) > robustness(star, [0])


def test_removal_pieces_match_brute_force():
    rng = random.Random(7)
    for _ in range(40):
        n = rng.randint(1, 20)
        g = ig.Graph.Erdos_Renyi(n=n, p=rng.random() * 0.4)
        pieces = removal_pieces(g.get_adjlist())
        membership = g.connected_components().membership
        for v in range(n):
            comp = [u for u in range(n) if membership[u] == membership[v] and u != v]
            expected = sorted(g.induced_subgraph(comp).connected_components().sizes()) if comp else []
            assert sorted(pieces[v]) == expected
