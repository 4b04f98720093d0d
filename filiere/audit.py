"""The processing log (LED art. 25): append-only and hash-chained.

Every collection, alteration, consultation, disclosure, combination and erasure of personal data adds one
entry: who, when, what, why and to whom.  Each entry's hash covers its fields and the previous entry's
hash, so editing, deleting or reordering an entry breaks the chain; the head of the chain is also kept in
``log_head.json`` beside the database, so cutting entries off the end is detected too.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from filiere.model.vocab import LogAction
from filiere.workspace import Workspace

GENESIS = "0" * 64
HEAD_FILE = "log_head.json"
FIELDS = ("seq", "logged_at", "actor", "agency", "action", "what", "why", "to_whom", "details")


def default_actor() -> str:
    """The OS user, as the default 'who' for command-line stages."""
    try:
        return os.environ.get("FILIERE_USER") or getpass.getuser()
    except Exception:  # pragma: no cover - no passwd entry
        return f"uid:{os.getuid()}"


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    payload = json.dumps([entry.get(f) for f in FIELDS], default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + "|" + payload).encode("utf-8")).hexdigest()


def _ts(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def append(
    ws: Workspace,
    action: LogAction | str,
    what: str,
    why: str | None = None,
    *,
    actor: str | None = None,
    agency: str | None = None,
    to_whom: str | None = None,
    details: dict[str, Any] | None = None,
) -> int:
    """Add one entry; call it inside the stage's transaction so the entry and the work commit together."""
    action = LogAction(action)
    con = ws.con
    last = con.execute("SELECT seq, hash FROM processing_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq = 1 if last is None else int(last[0]) + 1
    prev = GENESIS if last is None else last[1]
    logged_at = datetime.now(UTC).replace(tzinfo=None)
    entry = {
        "seq": seq,
        "logged_at": _ts(logged_at),
        "actor": actor or default_actor(),
        "agency": agency,
        "action": action.value,
        "what": what,
        "why": why,
        "to_whom": to_whom,
        "details": json.dumps(details, sort_keys=True, default=str) if details is not None else None,
    }
    digest = entry_hash(prev, entry)
    con.execute(
        "INSERT INTO processing_log VALUES (?, CAST(? AS TIMESTAMP), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [seq, entry["logged_at"], entry["actor"], agency, action.value, what, why, to_whom, entry["details"],
         prev, digest],
    )
    ws.after_commit(lambda: _write_head(ws, seq, digest))
    return seq


def _write_head(ws: Workspace, seq: int, digest: str) -> None:
    path = ws.path / HEAD_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"seq": seq, "hash": digest}) + "\n")
    os.replace(tmp, path)


@dataclass
class VerifyResult:
    ok: bool
    entries: int
    problems: list[str]


def verify(ws: Workspace) -> VerifyResult:
    """Walk the chain from the first entry; report every break, and compare with the head file."""
    rows = ws.con.execute(
        "SELECT seq, strftime(logged_at, '%Y-%m-%d %H:%M:%S.%f'), actor, agency, action, what, why, to_whom,"
        " details, prev_hash, hash FROM processing_log ORDER BY seq"
    ).fetchall()
    problems: list[str] = []
    prev = GENESIS
    expected_seq = 1
    for row in rows:
        entry = dict(zip(FIELDS, row[:9], strict=True))
        seq, prev_hash, digest = row[0], row[9], row[10]
        if seq != expected_seq:
            problems.append(f"entry {seq}: expected sequence number {expected_seq} (entry missing or reordered)")
        if prev_hash != prev:
            problems.append(f"entry {seq}: previous-hash link broken (an entry before it was removed or moved)")
        if entry_hash(prev_hash, entry) != digest:
            problems.append(f"entry {seq}: content does not match its hash (entry was modified)")
        prev = digest
        expected_seq = seq + 1
    head_path = ws.path / HEAD_FILE
    if head_path.exists():
        head = json.loads(head_path.read_text())
        by_seq = {r[0]: r[10] for r in rows}
        if head["seq"] not in by_seq:
            problems.append(f"log head names entry {head['seq']} but the log has only {len(rows)} entries "
                            "(entries were cut off the end)")
        elif by_seq[head["seq"]] != head["hash"]:
            problems.append(f"entry {head['seq']}: hash differs from the recorded log head")
    elif rows:
        problems.append(f"{HEAD_FILE} is missing although the log has entries")
    return VerifyResult(ok=not problems, entries=len(rows), problems=problems)
