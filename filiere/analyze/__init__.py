"""Network analysis: communities and their scoring, roles and key players, disruption plans.

``stage.analyze`` runs discovery over the workspace; ``plans.make_plans`` runs the planner
(``dismantle.planner``) for one network.
"""
