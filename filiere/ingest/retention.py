"""Retention (LED art. 5): which sources are due for review, and erasing a source.

Erasure removes the source's rows from every mention and event table (dropping its compact storage, see
:mod:`filiere.ingest.compact`) and from ``rejects``, deletes the derived rows built from it (resolved and
analysis tables whose ``source_ids`` name it, and rows naming its mentions), marks every later stage run
stale, keeps the ``sources`` row as a tombstone (status ``erased``, no personal data in it), and logs an
``erasure`` entry — all in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from filiere import audit
from filiere.errors import FiliereError
from filiere.ingest import compact
from filiere.model.schema import ALL_TABLES
from filiere.model.tables_records import RECORD_TABLES
from filiere.model.vocab import LogAction
from filiere.workspace import Workspace


@dataclass(frozen=True)
class DueSource:
    source_id: str
    file_name: str
    agency: str
    case_ref: str | None
    review_on: date
    days_over: int  # days since the review date (negative: not yet due)

    @property
    def overdue(self) -> bool:
        """The review date has come (today counts)."""
        return self.days_over >= 0


def due_for_review(ws: Workspace, today: date, within_days: int = 0) -> list[DueSource]:
    rows = ws.con.execute(
        "SELECT source_id, file_name, agency, case_ref, review_on, date_diff('day', review_on, ?::DATE)"
        " FROM sources WHERE status = 'active' AND review_on <= ?::DATE + ?::INTEGER ORDER BY review_on",
        [today, today, within_days],
    ).fetchall()
    return [DueSource(r[0], r[1], r[2], r[3], r[4], int(r[5])) for r in rows]


@dataclass
class EraseResult:
    source_id: str
    removed: dict[str, int] = field(default_factory=dict)
    stale_runs: int = 0


def _derived_deletes(source_id: str) -> list[tuple[str, str, list]]:
    """(table, WHERE clause, params) for every derived row built from or naming the source."""
    record_names = {t.name for t in RECORD_TABLES} | {"sources", "rejects", "processing_log", "stage_runs",
                                                      "schema_migrations"}
    pattern = source_id + ":%"
    out = []
    for t in ALL_TABLES:
        if t.name in record_names:
            continue
        cols = t.column_names
        conds, params = [], []
        if "source_ids" in cols:
            conds.append("list_contains(source_ids, ?)")
            params.append(source_id)
        for c in cols:
            if c.startswith("mention_id"):
                conds.append(f'"{c}" LIKE ?')
                params.append(pattern)
        if conds:
            out.append((t.name, " OR ".join(conds), params))
    return out


def erase_source(ws: Workspace, source_id: str, reason: str, actor: str | None = None) -> EraseResult:
    row = ws.con.execute("SELECT status, agency, file_name FROM sources WHERE source_id = ?", [source_id]).fetchone()
    if row is None:
        raise FiliereError(f"no source {source_id!r} in this workspace (see 'filiere status')")
    if row[0] == "erased":
        raise FiliereError(f"source {source_id} is already erased")
    result = EraseResult(source_id)
    with ws.transaction() as con:
        for t in RECORD_TABLES:
            n = con.execute(f"DELETE FROM {t.write_name} WHERE source_id = ?", [source_id]).fetchone()[0]
            result.removed[t.name] = int(n)
        for name, n in compact.erase(con, source_id, [t for t in RECORD_TABLES if t.storage]).items():
            result.removed[name] += n
        result.removed["rejects"] = int(
            con.execute("DELETE FROM rejects WHERE source_id = ?", [source_id]).fetchone()[0])
        for table, where, params in _derived_deletes(source_id):
            result.removed[table] = int(con.execute(f"DELETE FROM {table} WHERE {where}", params).fetchone()[0])
        result.stale_runs = int(con.execute(
            "UPDATE stage_runs SET stale = true, stale_reason = ?"
            " WHERE stage <> 'ingest' AND NOT coalesce(stale, false)",
            [f"source {source_id} erased"],
        ).fetchone()[0])
        con.execute("UPDATE stage_runs SET stale = true, stale_reason = 'source erased' WHERE run_id = ?",
                    [f"ingest-{source_id}"])
        con.execute("UPDATE sources SET status = 'erased', rows_loaded = 0 WHERE source_id = ?", [source_id])
        audit.append(ws, LogAction.ERASURE, f"erased source {source_id} ({row[2]})", reason, actor=actor,
                     agency=row[1], details={"source_id": source_id, "removed": result.removed,
                                             "stale_runs": result.stale_runs})
    return result
