"""The recovery model re-links the contacts of removed members, reproducibly."""

from __future__ import annotations

import igraph as ig

from filiere.analyze.dismantle import plan
from filiere.analyze.dismantle.metrics import lcc_size
from filiere.analyze.dismantle.resilience import recover


def test_recovery_is_deterministic_and_reconnects():
    g = ig.Graph.Barabasi(120, 2)
    hubs = sorted(range(120), key=lambda v: -g.degree(v))[:5]
    first = recover(g, hubs, seed=3)
    again = recover(g, hubs, seed=3)
    assert first.new_edges == again.new_edges
    assert first.successors == again.successors
    assert first.lcc >= lcc_size(g, hubs)
    assert first.new_edges  # hubs leave many contacts behind
    for a, b in first.new_edges:
        assert a not in hubs and b not in hubs


def test_no_relinking_means_no_recovery():
    g = ig.Graph.Star(6)
    rec = recover(g, [0], relink_probability=0.0)
    assert rec.new_edges == []
    assert rec.lcc == 1


def test_star_recovers_through_a_successor():
    g = ig.Graph.Star(6)
    rec = recover(g, [0], relink_probability=1.0)
    assert rec.lcc == 5  # every leaf re-links to the successor
    assert len(rec.new_edges) == 4


def test_plan_reports_recovery():
    g = ig.Graph.Barabasi(80, 2)
    for result in plan(g, 3, seed=1):
        assert result.lcc_after <= result.lcc_after_recovery <= result.lcc_before
        assert 0.0 <= result.efficiency_after_recovery <= 1.0
