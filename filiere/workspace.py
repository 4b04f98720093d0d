"""A workspace is one investigation: a directory holding a DuckDB database.

Every stage opens the workspace, reads tables, and writes tables inside :meth:`Workspace.transaction`,
so a failure (or a killed process) leaves the workspace as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from filiere.model.schema import MIGRATIONS, SCHEMA_VERSION

DB_FILE = "filiere.duckdb"
MARKER_FILE = "workspace.json"


class WorkspaceError(RuntimeError):
    """The directory is not a workspace, or is one of a newer schema."""


def _connect(db: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(db), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WorkspaceError(
                f"{db.parent} is in use by another filiere process (a running serve, ingest or resolve); "
                "stop it or wait for it to finish, then try again"
            ) from None
        raise


class Workspace:
    """An open workspace. Pass it explicitly to every stage; close it (or use ``with``) when done."""

    def __init__(self, path: Path, con: duckdb.DuckDBPyConnection, read_only: bool = False) -> None:
        self.path = path
        self.con = con
        self.read_only = read_only
        self._in_tx = False
        self._after_commit: list = []

    # -- lifecycle -------------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path) -> Workspace:
        p = Path(path)
        if (p / MARKER_FILE).exists():
            raise WorkspaceError(f"{p} is already a workspace")
        if p.exists() and any(p.iterdir()):
            raise WorkspaceError(f"{p} exists and is not empty; choose a new directory")
        p.mkdir(parents=True, exist_ok=True)
        (p / MARKER_FILE).write_text(
            json.dumps({"format": "filiere-workspace", "created_at": datetime.now(UTC).isoformat()}) + "\n"
        )
        ws = cls(p, duckdb.connect(str(p / DB_FILE)))
        ws.migrate()
        return ws

    @classmethod
    def open(cls, path: str | Path, read_only: bool = False, migrate: bool = True) -> Workspace:
        p = Path(path)
        if not (p / MARKER_FILE).exists() or not (p / DB_FILE).exists():
            raise WorkspaceError(f"{p} is not a filiere workspace (run 'filiere init {p}' first)")
        ws = cls(p, _connect(p / DB_FILE, read_only), read_only=read_only)
        version = ws.schema_version()
        if version > SCHEMA_VERSION:
            ws.close()
            raise WorkspaceError(
                f"{p} has schema version {version}, newer than this filiere ({SCHEMA_VERSION}); upgrade filiere"
            )
        if migrate and not read_only and version < SCHEMA_VERSION:
            ws.migrate()
        return ws

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ----------------------------------------------------------------------------------------
    def schema_version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
        ).fetchone()[0]
        if not exists:
            return 0
        row = self.con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
        return int(row[0])

    def migrate(self) -> list[int]:
        """Apply every migration this workspace has not seen, each in its own transaction."""
        applied: list[int] = []
        current = self.schema_version()
        for m in MIGRATIONS:
            if m.version <= current:
                continue
            with self.transaction() as con:
                for stmt in m.statements():
                    con.execute(stmt)
                con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    [m.version, datetime.now(UTC).replace(tzinfo=None), m.description],
                )
            applied.append(m.version)
        return applied

    # -- transactions ----------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One all-or-nothing unit of work. Nested use joins the outer transaction."""
        if self._in_tx:
            yield self.con
            return
        self.con.execute("BEGIN TRANSACTION")
        self._in_tx = True
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            self._after_commit.clear()
            raise
        finally:
            self._in_tx = False
        self.con.execute("COMMIT")
        hooks, self._after_commit = self._after_commit, []
        for hook in hooks:
            hook()

    def after_commit(self, hook) -> None:
        """Run ``hook()`` once the current transaction has committed (immediately when none is open)."""
        if self._in_tx:
            self._after_commit.append(hook)
        else:
            hook()

    # -- helpers ---------------------------------------------------------------------------------------
    def table_counts(self) -> dict[str, int]:
        from filiere.model.schema import ALL_TABLES

        return {t.name: int(self.con.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0])
                for t in ALL_TABLES}
