"""Group commit for the consultation log: every request waits until its entry is committed, but entries that
arrive together share one transaction, so the single writer is not the bottleneck under load."""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from typing import Any

from filiere import audit
from filiere.workspace import Workspace

MAX_BATCH = 500


@dataclass
class _Pending:
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    done: threading.Event = field(default_factory=threading.Event)
    seq: int | None = None
    error: BaseException | None = None


class LogWriter:
    def __init__(self, ws: Workspace, write_lock: threading.Lock) -> None:
        self._ws = ws
        self._lock = write_lock
        self._queue: queue.Queue[_Pending | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def append(self, *args: Any, **kwargs: Any) -> int:
        """``audit.append`` arguments; returns the entry's sequence number once it is committed."""
        item = _Pending(args, kwargs)
        self._ensure_started()
        self._queue.put(item)
        item.done.wait()
        if item.error is not None:
            raise item.error
        assert item.seq is not None
        return item.seq

    def _ensure_started(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="filiere-log-writer", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    self._queue.put(None)
                    break
                batch.append(nxt)
            try:
                with self._lock, self._ws.transaction():
                    for item in batch:
                        item.seq = audit.append(self._ws, *item.args, **item.kwargs)
            except BaseException as exc:  # the whole batch rolled back: every waiting request fails
                for item in batch:
                    item.error = exc
            for item in batch:
                item.done.set()

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=10)
