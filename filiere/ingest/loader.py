"""Ingest one file: stage it, normalise distinct values, check rows, insert — all in one transaction.

A large clean CSV of a ``per_source`` kind (calls) first tries the compact path (:mod:`filiere.ingest.compact`),
which does all of it in its own transaction; when it declines, nothing is left and the steps below run.

The order inside the transaction: read the file into a staging relation → check the mapped columns exist →
build the lookup tables → find bad rows (one scan) → refuse, or send them to ``rejects`` → INSERT the kind's
rows (and person mentions) with SQL → the ``sources`` row, a ``stage_runs`` row and the processing-log entry.
Any error rolls everything back; a killed process leaves an uncommitted transaction that DuckDB discards.
"""

from __future__ import annotations

import json
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from filiere import audit
from filiere.errors import InputError, UsageError
from filiere.ingest import compact
from filiere.ingest.build import Batch, lit
from filiere.ingest.mapping import Mapping
from filiere.ingest.problems import Problem
from filiere.ingest.readers import read_into_staging
from filiere.ingest.source import SourceInfo, SourceOptions, file_sha256, resolve_source, source_id_for
from filiere.model.tables_records import RECORD_TABLES
from filiere.model.vocab import LogAction
from filiere.workspace import Workspace

MAX_REPORTED = 10
Progress = Callable[[int, int | None], None]


class BadRowsError(InputError):
    """Bad rows refused the whole file; lists the first ones."""

    def __init__(self, file: str, problems: list[Problem], total_rows: int, limit: int | None) -> None:
        first = problems[0]
        super().__init__(file, first.reason, row=first.row, field=first.field, value=first.value)
        self.problems = problems
        if limit is None:
            head = (f"{total_rows} bad row(s); nothing was ingested (use --max-rejects N to ingest the rest "
                    f"and keep bad rows in the rejects table)")
        else:
            head = f"{total_rows} bad row(s), more than --max-rejects {limit}; nothing was ingested"
        lines = [head] + ["  " + p.describe(file) for p in problems[:MAX_REPORTED]]
        if len(problems) > MAX_REPORTED:
            lines.append(f"  … and {len(problems) - MAX_REPORTED} more problem(s)")
        self.args = ("\n".join(lines),)

    def __str__(self) -> str:
        return self.args[0]


@dataclass
class IngestResult:
    source_id: str
    file: str
    already: bool = False
    status: str | None = None
    row_count: int = 0
    rows_loaded: int = 0
    rejected: int = 0
    tables: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per phase: read, normalise, check, write
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # CPU time of the process per phase
    compact: bool = False  # stored in the source's own compact tables (filiere/ingest/compact.py)


def _stage_batches(con: duckdb.DuckDBPyConnection, path: Path, mapping: Mapping, info: SourceInfo,
                   prefix: str, scratch: Path) -> tuple[list[Batch], int, list[Problem]]:
    if mapping.file_format.type == "ftm":
        from filiere.ingest.readers.ftm import read_ftm

        return read_ftm(con, path, prefix, info.phone_region)
    assert mapping.kind is not None
    wanted = [c for spec in mapping.properties for c in spec.source_columns]
    staged = read_into_staging(con, path, mapping.file_format, f"{prefix}_stg", scratch, wanted)
    batch = Batch(mapping.kind, staged, list(mapping.properties), info.phone_region)
    return [batch], staged.row_count, list(staged.problems)


def _find_problems(con: duckdb.DuckDBPyConnection, batch: Batch, prefix: str) -> list[Problem]:
    checks = batch.checks()
    if not checks:
        return []
    bad = f"{prefix}_bad"
    flags = ", ".join(f"coalesce({c.cond}, false) AS _c{i}" for i, c in enumerate(checks))
    where = " OR ".join(f"({c.cond})" for c in checks)
    con.execute(f"CREATE TEMP TABLE {bad} AS SELECT s.*, {flags} FROM {batch.staged.relation} s WHERE {where}")
    batch.temp_tables.append(bad)
    parts = [f"SELECT s._row, {lit(c.field)}, CAST({c.value} AS VARCHAR), {c.reason}"
             f" FROM {bad} s WHERE _c{i}" for i, c in enumerate(checks)]
    rows = con.execute(" UNION ALL ".join(parts) + " ORDER BY 1").fetchall()
    return [Problem(int(r[0]), r[1], None if r[2] is None else r[2][:200], r[3]) for r in rows]


class _PhaseClock:
    """Wall time spent in each phase, for --verbose and the benchmark."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu_seconds: dict[str, float] = {}
        self._last = time.perf_counter()
        self._last_cpu = time.process_time()

    def lap(self, phase: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        self.seconds[phase] = self.seconds.get(phase, 0.0) + now - self._last
        self.cpu_seconds[phase] = self.cpu_seconds.get(phase, 0.0) + cpu - self._last_cpu
        self._last, self._last_cpu = now, cpu


def _drop_temp(con: duckdb.DuckDBPyConnection, batches: list[Batch], tables: list[str]) -> None:
    """Drop the ingest's temp tables; never hides the error that is propagating."""
    try:
        for batch in batches:
            for t in batch.temp_tables:
                con.execute(f"DROP TABLE IF EXISTS {t}")
            batch.staged.drop(con)
        for t in tables:
            con.execute(f"DROP TABLE IF EXISTS {t}")
    except duckdb.Error:
        pass  # temp tables vanish with the connection anyway


def _insert_rejects(con: duckdb.DuckDBPyConnection, sid: str, file_name: str, problems: list[Problem]) -> None:
    rows = pa.table({
        "source_row": pa.array([pr.row for pr in problems], pa.int64()),
        "field": pa.array([pr.field for pr in problems], pa.string()),
        "value": pa.array([pr.value for pr in problems], pa.string()),
        "reason": pa.array([pr.reason for pr in problems], pa.string()),
    })
    view = f"_rejects_{uuid.uuid4().hex[:8]}"
    con.register(view, rows)
    try:
        con.execute(f"INSERT INTO rejects (source_id, file_name, source_row, field, value, reason)"
                    f" SELECT ?, ?, source_row, field, value, reason FROM {view}", [sid, file_name])
    finally:
        con.unregister(view)


def _insert_row(con: duckdb.DuckDBPyConnection, table: str, row: dict) -> None:
    names = ", ".join(f'"{c}"' for c in row)
    con.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(row))})", list(row.values()))


def _record_source(ws: Workspace, sid: str, sha: str, p: Path, mapping: Mapping, info: SourceInfo,
                   kinds: list[str], row_count: int, rows_loaded: int, n_rejected: int,
                   tables: dict[str, int], reason: str | None, actor: str | None, today: date) -> None:
    """The sources row, the stage run and the processing-log entry (inside the ingest transaction)."""
    con = ws.con
    now = datetime.now(UTC).replace(tzinfo=None)
    who = actor or audit.default_actor()
    source_row = {
        "source_id": sid, "file_name": p.name, "path": str(p), "content_sha256": sha,
        "file_format": mapping.file_format.type, "record_kind": ",".join(kinds), "mapping_name": mapping.name,
        "mapping_sha256": mapping.sha256, "agency": info.agency, "grading_scheme": info.grading.scheme.value,
        "source_grade": info.grading.source, "information_grade": info.grading.information,
        "handling_code": info.grading.handling, "partner_visibility": info.grading.partner_visibility.value,
        "releasable_to": list(info.releasable_to), "nature": info.nature, "legal_basis": info.legal_basis,
        "case_ref": info.case_ref, "collected_on": info.collected_on, "review_on": info.review_on,
        "ingested_at": now, "ingested_by": who, "row_count": row_count, "rows_loaded": rows_loaded,
        "status": "active",
    }
    _insert_row(con, "sources", source_row)
    _insert_row(con, "stage_runs", {
        "run_id": f"ingest-{sid}", "stage": "ingest", "started_at": now,
        "finished_at": datetime.now(UTC).replace(tzinfo=None), "actor": who,
        "params": json.dumps({"source_id": sid, "file": p.name, "mapping": mapping.name}), "stale": False,
    })
    audit.append(
        ws, LogAction.COLLECTION,
        f"ingested {p.name} as source {sid} ({', '.join(kinds)}): {rows_loaded} rows into {', '.join(sorted(tables))}",
        reason or info.case_ref, actor=who, agency=info.agency,
        details={"source_id": sid, "file": str(p), "sha256": sha, "mapping": mapping.name, "rows": row_count,
                 "rows_loaded": rows_loaded, "rejected_rows": n_rejected, "tables": tables,
                 "legal_basis": info.legal_basis, "review_on": info.review_on.isoformat(),
                 "past_review": info.review_on < today},
    )


def _ingest_compact(ws: Workspace, p: Path, sid: str, sha: str, mapping: Mapping, info: SourceInfo, prefix: str,
                    reason: str | None, actor: str | None, today: date, advance: Progress) -> IngestResult | None:
    """The compact path in one transaction; None when it declines (nothing is left behind)."""
    clock = _PhaseClock()
    try:
        with ws.transaction() as con:
            loaded = compact.load(con, p, mapping, sid, info.phone_region, prefix, clock.lap)
            tables = {loaded.table: loaded.rows}
            advance(loaded.rows, None)
            _record_source(ws, sid, sha, p, mapping, info, [mapping.kind.name], loaded.rows, loaded.rows, 0, tables,
                           reason, actor, today)
    except compact.Declined:
        return None  # rolled back: the general path reads the file again and reports what is wrong
    clock.lap("write")
    return IngestResult(sid, str(p), row_count=loaded.rows, rows_loaded=loaded.rows, tables=tables,
                        seconds=clock.seconds, cpu_seconds=clock.cpu_seconds, compact=True)


def ingest_file(
    ws: Workspace,
    path: str | Path,
    mapping: Mapping,
    opts: SourceOptions | None = None,
    *,
    reason: str | None = None,
    max_rejects: int | None = None,
    actor: str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> IngestResult:
    """Ingest ``path`` with ``mapping`` into ``ws``; returns what was done (or that it was already there).

    Call it outside any transaction of ``ws``: it opens its own (and the compact path relies on rolling
    it back when it declines a file)."""
    p = Path(path)
    file = str(p)
    today = today or date.today()
    info = resolve_source(mapping.source, opts or SourceOptions(), mapping.name, today)
    if info.review_on < today and not reason:
        raise UsageError(f"the review date {info.review_on} is already past: this data should be reviewed for "
                         "deletion, not ingested; give --reason to ingest it anyway (the reason is logged)")
    if max_rejects is not None and max_rejects < 0:
        raise UsageError("--max-rejects must be 0 or more")
    if not p.is_file():
        raise InputError(file, "no such file")
    sha = file_sha256(p)
    sid = source_id_for(sha)
    existing = ws.con.execute("SELECT source_id, status FROM sources WHERE content_sha256 = ?", [sha]).fetchone()
    if existing is not None:
        return IngestResult(existing[0], file, already=True, status=existing[1])
    advance = progress or (lambda n, total: None)
    prefix = f"_ing_{uuid.uuid4().hex[:8]}"
    if compact.applies(mapping, p):
        done = _ingest_compact(ws, p, sid, sha, mapping, info, prefix, reason, actor, today, advance)
        if done is not None:
            return done
    con = ws.con
    batches: list[Batch] = []
    own_temp: list[str] = []
    # Staging, lookups and checks touch only temp tables: they run before the transaction (rowids of a
    # table created inside a transaction are not file order), and the temp tables are dropped at the end.
    clock = _PhaseClock()
    try:
        with tempfile.TemporaryDirectory(dir=ws.path, prefix=".ingest-") as scratch:
            batches, row_count, problems = _stage_batches(con, p, mapping, info, prefix, Path(scratch))
        clock.lap("read")
        if row_count == 0:
            has_header = mapping.file_format.type == "csv" and mapping.file_format.header
            what = "a header but no data rows" if has_header else "no data rows"
            raise InputError(file, f"the file has {what}; nothing was ingested")
        advance(row_count, row_count * 2)
        for i, batch in enumerate(batches):
            batch.build_lookups(con, f"{prefix}_{i}")
            clock.lap("normalise")
            problems += _find_problems(con, batch, f"{prefix}_{i}")
            clock.lap("check")
        problems.sort(key=lambda pr: pr.row)
        bad_rows = sorted({pr.row for pr in problems})
        if bad_rows and (max_rejects is None or len(bad_rows) > max_rejects):
            raise BadRowsError(file, problems, len(bad_rows), max_rejects)
        keep = "TRUE"
        if bad_rows:
            rejected = f"{prefix}_rejected"
            con.execute(f"CREATE TEMP TABLE {rejected} AS SELECT unnest(?::BIGINT[]) AS r", [bad_rows])
            own_temp.append(rejected)
            keep = f"s._row NOT IN (SELECT r FROM {rejected})"
        with ws.transaction():
            if problems:
                _insert_rejects(con, sid, p.name, problems)
            tables: dict[str, int] = {}
            public_names = {t.write_name: t.name for t in RECORD_TABLES}
            for batch in batches:
                for stmt in batch.inserts(sid, keep):
                    target = public_names.get(stmt.split()[2], stmt.split()[2])
                    n = con.execute(stmt).fetchone()[0]
                    tables[target] = tables.get(target, 0) + int(n)
            advance(row_count, None)
            rows_loaded = row_count - len(bad_rows)
            kinds = sorted({b.record_kind for b in batches})
            _record_source(ws, sid, sha, p, mapping, info, kinds, row_count, rows_loaded, len(bad_rows), tables,
                           reason, actor, today)
        clock.lap("write")
    finally:
        _drop_temp(con, batches, own_temp)
    return IngestResult(sid, file, row_count=row_count, rows_loaded=rows_loaded, rejected=len(bad_rows),
                        tables=tables, seconds=clock.seconds, cpu_seconds=clock.cpu_seconds)
