"""Disruption planning: which few arrests break a network most, compared across strategies, with resilience.

Public API: :func:`plan` (target sets for a budget, per strategy) and :func:`dismantling_curve` (benchmarks).
"""

from filiere.analyze.dismantle.planner import ALL_STRATEGIES, Curve, PlanResult, dismantling_curve, plan

__all__ = ["ALL_STRATEGIES", "Curve", "PlanResult", "dismantling_curve", "plan"]
