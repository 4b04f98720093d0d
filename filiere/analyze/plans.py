"""Disruption plans for one network: run the planner, store every strategy's plan in ``plans``, log it.

A plan is advice to a human: which few members' removal would break the network most, with the effect on its
largest connected group and its efficiency, before and after a simulated recovery.  Nothing acts on a person.

The planner sees the network's members and the unattributed numbers linking two or more of them (phone
actors: part of the structure, never targets).  Victims are not part of a network and never reach the planner.
Targets are chosen **among suspects only** (category suspect or convicted): members whose records do not say
suspect (unknown, other — e.g. a number's subscriber known by nothing else, who may be a migrant) stay in the
graph but are never targeted until an analyst categorises them; persons given in ``exclude`` (unreachable,
already in custody) likewise.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import igraph as ig

from filiere import audit
from filiere.errors import FiliereError, UsageError
from filiere.graph.build import is_phone_actor
from filiere.graph.load import TYPE_WEIGHTS, VICTIM
from filiere.model.vocab import LogAction
from filiere.workspace import Workspace

TARGETABLE = ("suspect", "convicted")


@dataclass
class StoredPlan:
    plan_id: str
    strategy: str
    targets: list[str]
    target_labels: list[str]
    lcc_before: float
    lcc_after: float
    efficiency_before: float
    efficiency_after: float
    lcc_after_recovery: float
    efficiency_after_recovery: float
    reasons: object
    not_suspects: int = 0  # members kept out of the targets because their records do not say suspect


def network_graph(ws: Workspace, network_id: str) -> ig.Graph:
    """The network's members (+ phone actors linking ≥ 2 of them) with collapsed, weighted links."""
    con = ws.con
    members = [r[0] for r in con.execute(
        "SELECT person_id FROM network_members WHERE network_id = ? ORDER BY person_id", [network_id]).fetchall()]
    if not members:
        known = [r[0] for r in con.execute("SELECT network_id FROM networks ORDER BY rank").fetchall()]
        raise UsageError(f"no network {network_id!r} in {ws.path}"
                         + (f"; known: {', '.join(known)}" if known else "; run 'filiere analyze' first"))
    cases = " ".join(f"WHEN '{t}' THEN {w}" for t, w in TYPE_WEIGHTS.items())
    rows = con.execute(f"""
        WITH m AS (SELECT person_id FROM network_members WHERE network_id = $nid),
        touch AS (
            SELECT person_b AS other, person_a AS member FROM edges WHERE person_a IN (SELECT person_id FROM m)
            UNION SELECT person_a, person_b FROM edges WHERE person_b IN (SELECT person_id FROM m)
        ),
        ph AS (SELECT other FROM touch WHERE starts_with(other, 'PH:') GROUP BY other
               HAVING count(DISTINCT member) >= 2),
        nodes AS (SELECT person_id AS id FROM m UNION SELECT other FROM ph)
        SELECT person_a, person_b, sum(CASE edge_type {cases} ELSE 1.0 END * ln(1 + weight))
        FROM edges WHERE person_a IN (SELECT id FROM nodes) AND person_b IN (SELECT id FROM nodes)
        GROUP BY person_a, person_b ORDER BY person_a, person_b""", {"nid": network_id}).fetchall()
    names = sorted(set(members) | {r[0] for r in rows} | {r[1] for r in rows})
    index = {n: i for i, n in enumerate(names)}
    g = ig.Graph(n=len(names), edges=[(index[a], index[b]) for a, b, _ in rows])
    g.vs["name"] = names
    g.es["weight"] = [float(w) for _, _, w in rows]
    cats = dict(con.execute("SELECT person_id, category FROM persons WHERE person_id IN "
                            "(SELECT unnest(?::VARCHAR[]))", [names]).fetchall())
    labels = dict(con.execute("SELECT person_id, display_name FROM persons WHERE person_id IN "
                              "(SELECT unnest(?::VARCHAR[]))", [names]).fetchall())
    g.vs["category"] = ["phone" if is_phone_actor(n) else cats.get(n, "unknown") for n in names]
    g.vs["label"] = [labels.get(n) or n for n in names]
    if VICTIM in g.vs["category"]:  # cannot happen through analyze; refuse rather than plan on a victim
        raise FiliereError(f"network {network_id} lists a victim as a member; re-run 'filiere analyze'")
    return g


def _planner():
    try:
        from filiere.analyze.dismantle.planner import plan
    except ImportError as exc:  # pragma: no cover - depends on the dismantling package being installed
        raise FiliereError(f"the disruption planner is not available ({exc})") from exc
    return plan


def make_plans(ws: Workspace, network_id: str, budget: int, *, exclude: Iterable[str] = (),
               strategies: list[str] | None = None, seed: int = 0, actor: str | None = None,
               why: str | None = None) -> list[StoredPlan]:
    if budget < 1:
        raise UsageError("--budget must be at least 1")
    g = network_graph(ws, network_id)
    names = g.vs["name"]
    exclude = list(exclude)
    unknown = [p for p in exclude if p not in names]
    if unknown:
        raise UsageError(f"not a member of {network_id}: {', '.join(unknown)}")
    targetable = {i for i, c in enumerate(g.vs["category"]) if c in TARGETABLE}
    excluded = {i for i, n in enumerate(names) if i not in targetable or n in set(exclude)}
    try:
        results = _planner()(g, budget, strategies=strategies, excluded=sorted(excluded), seed=seed)
    except ValueError as exc:  # unknown strategy name
        raise UsageError(str(exc)) from exc
    n = g.vcount()
    created = datetime.now(UTC).replace(tzinfo=None)
    who = actor or audit.default_actor()
    source_ids = [r[0] for r in ws.con.execute(
        "SELECT DISTINCT unnest(source_ids) FROM network_members WHERE network_id = ? ORDER BY 1",
        [network_id]).fetchall()]
    stored: list[StoredPlan] = []
    with ws.transaction() as con:
        for res in results:
            targets = [names[i] for i in res.targets]
            if any(i in excluded for i in res.targets):
                raise FiliereError(f"planner strategy {res.strategy} targeted an excluded node; plan not stored")
            plan_id = f"{network_id}-{res.strategy}-{uuid.uuid4().hex[:8]}"
            # sizes of the largest connected group as a fraction of the network's nodes
            lcc = [x / n if n else 0.0 for x in (res.lcc_before, res.lcc_after, res.lcc_after_recovery)]
            reasons = {"targets": dict(zip(targets, res.reasons, strict=False)),
                       "not_targeted": "members not categorised suspect or convicted, phone actors, excluded",
                       "notes": list(getattr(res, "notes", []) or []), "nodes": n}
            con.execute(
                "INSERT INTO plans (plan_id, network_id, strategy, budget, targets, lcc_before, lcc_after,"
                " efficiency_before, efficiency_after, lcc_after_recovery, efficiency_after_recovery, reasons,"
                " source_ids, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [plan_id, network_id, res.strategy, budget, targets, lcc[0], lcc[1],
                 res.efficiency_before, res.efficiency_after, lcc[2],
                 res.efficiency_after_recovery, json.dumps(reasons, default=str), source_ids, created, who])
            stored.append(StoredPlan(plan_id, res.strategy, targets, [g.vs[i]["label"] for i in res.targets],
                                     lcc[0], lcc[1], res.efficiency_before, res.efficiency_after,
                                     lcc[2], res.efficiency_after_recovery, reasons,
                                     sum(1 for i, n in enumerate(names)
                                         if i not in targetable and not is_phone_actor(n))))
        audit.append(ws, LogAction.COMBINATION, f"disruption plans for {network_id}", why, actor=actor,
                     details={"network_id": network_id, "budget": budget, "excluded": exclude,
                              "strategies": [s.strategy for s in stored], "plan_ids": [s.plan_id for s in stored]})
    return stored
