"""What the app holds while it runs (no module-level state): the workspace, the writer lock, the session
codec, the login limiter, the name index and the lookup tables. One instance per app, on ``app.state.ctx``."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from filiere.model.vocab import LogAction
from filiere.web.auth.ratelimit import LoginLimiter
from filiere.web.auth.sessions import SessionCodec
from filiere.web.data.lookup import LookupTables
from filiere.web.data.names import NameIndex
from filiere.web.logwriter import LogWriter
from filiere.web.memo import Memo
from filiere.workspace import Workspace


@dataclass
class AppContext:
    ws: Workspace
    codec: SessionCodec
    secure_cookies: bool
    assets_dir: Path
    limiter: LoginLimiter = field(default_factory=LoginLimiter)
    names: NameIndex = field(default_factory=NameIndex)
    lookup: LookupTables = field(default_factory=LookupTables)
    memo: Memo = field(default_factory=Memo)
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    _cursor_lock: threading.Lock = field(default_factory=threading.Lock)
    _reader_root: duckdb.DuckDBPyConnection | None = None
    _log: LogWriter | None = None

    @contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for one request (DuckDB cursors may be used from different threads); cursors
        are made from a root cursor of their own so that making one never touches the writer's connection."""
        with self._cursor_lock:
            if self._reader_root is None:
                with self.write_lock:
                    self._reader_root = self.ws.con.cursor()
            cur = self._reader_root.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def warm_up(self) -> None:
        with self.reader() as con:
            self.lookup.ensure(con)
            self.names.candidates(con, "warm up")

    def close(self) -> None:
        if self._log is not None:
            self._log.close()
        if self._reader_root is not None:
            self.lookup.close(self._reader_root)
            self._reader_root.close()
        self.ws.close()

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The one writer: serialised, one transaction (audit entries chain in order)."""
        with self.write_lock, self.ws.transaction() as con:
            yield con

    def record(self, action: LogAction, what: str, why: str | None, *, actor: str, agency: str | None,
               details: dict[str, Any] | None = None, to_whom: str | None = None) -> int:
        """Append a log entry and return once it is committed (group commit with concurrent requests)."""
        if self._log is None:
            with self._cursor_lock:
                if self._log is None:
                    self._log = LogWriter(self.ws, self.write_lock)
        return self._log.append(action, what, why, actor=actor, agency=agency, to_whom=to_whom, details=details)
