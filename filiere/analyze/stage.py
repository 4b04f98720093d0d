"""The analyze stage: in one transaction, rebuild ``edges``, ``networks`` and ``network_members``, record the run
in ``stage_runs`` and a 'combination' entry in the processing log (the stage combines personal data from all
sources into a link graph and assessments of people).

Plans made for the previous networks are removed with them (network ids are reassigned by each run; the
processing log keeps the record of every plan made)."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from filiere import audit
from filiere.analyze.discover import DiscoverParams, discover
from filiere.errors import FiliereError
from filiere.graph.build import build_edges
from filiere.model.schema import table
from filiere.model.vocab import LogAction
from filiere.workspace import Workspace


@dataclass
class AnalyzeSummary:
    run_id: str
    edges_by_type: dict[str, int]
    graph_vertices: int
    graph_edges: int
    networks: int
    members: int
    seconds: float
    probable_customers: int = 0  # persons flagged probable customer (kept out of networks)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _insert(con, name: str, rows: list[dict]) -> None:
    if not rows:
        return
    cols = table(name).column_names
    df = pd.DataFrame(rows).reindex(columns=cols)
    con.register("_analyze_rows", df)
    try:
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _analyze_rows")
    finally:
        con.unregister("_analyze_rows")


def analyze(ws: Workspace, params: DiscoverParams | None = None, *, actor: str | None = None,
            why: str | None = None) -> AnalyzeSummary:
    params = params or DiscoverParams()
    if ws.read_only:
        raise FiliereError(f"{ws.path} is open read-only")
    n_persons = ws.con.execute("SELECT count(*) FROM persons").fetchone()[0]
    if not n_persons:
        raise FiliereError(f"{ws.path} has no resolved persons: run 'filiere resolve {ws.path}' first")
    run_id = f"analyze-{uuid.uuid4().hex[:12]}"
    started = _now()
    t0 = time.perf_counter()
    with ws.transaction() as con:
        counts = build_edges(con, run_id)
        n_old_plans = con.execute("SELECT count(*) FROM plans").fetchone()[0]
        con.execute("DELETE FROM plans")
        con.execute("DELETE FROM network_members")
        con.execute("DELETE FROM networks")
        for stmt in table("person_flags").ddl():  # workspaces created before the table existed
            con.execute(stmt)
        con.execute("DELETE FROM person_flags")
        found = discover(con, params, run_id)
        _insert(con, "networks", found.networks)
        _insert(con, "network_members", found.members)
        _insert(con, "person_flags", found.flags)
        con.execute("UPDATE network_members SET source_ids = p.source_ids FROM persons p"
                    " WHERE p.person_id = network_members.person_id")
        details = {"run_id": run_id, "params": params.as_dict(), "edges": counts, "networks": len(found.networks),
                   "members": len(found.members), "probable_customers": len(found.flags),
                   "old_plans_removed": n_old_plans}
        con.execute(
            "INSERT INTO stage_runs (run_id, stage, started_at, finished_at, actor, params, stale)"
            " VALUES (?, 'analyze', ?, ?, ?, ?, false)",
            [run_id, started, _now(), actor or audit.default_actor(), json.dumps(params.as_dict())])
        audit.append(ws, LogAction.COMBINATION, "edges, networks, network_members from all resolved sources",
                     why, actor=actor, details=details)
    return AnalyzeSummary(run_id, counts, found.graph_vertices, found.graph_edges, len(found.networks),
                          len(found.members), time.perf_counter() - t0, len(found.flags))
