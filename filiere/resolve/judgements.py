"""Analysts' same/different decisions on pairs of person mentions.

A judgement is stored with who, when and why, and is honoured by every later ``resolve`` run: 'same' pairs
always end up in one person, 'different' pairs never do.  Revoking sets ``revoked_at``/``revoked_by``/
``revoke_reason`` (the row stays, so the history is kept) and the next run returns to the model's decision.
When several active judgements name the same pair, the latest one counts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from filiere import audit
from filiere.errors import FiliereError, UsageError
from filiere.model.vocab import LogAction
from filiere.workspace import Workspace

Decision = Literal["same", "different"]


@dataclass(frozen=True)
class Judgement:
    judgement_id: str
    mention_id_a: str
    mention_id_b: str
    decision: str
    reason: str | None
    actor: str
    decided_at: datetime


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _check_mentions(ws: Workspace, *mention_ids: str) -> None:
    for mid in mention_ids:
        found = ws.con.execute("SELECT count(*) FROM person_mentions WHERE mention_id = ?", [mid]).fetchall()[0][0]
        if not found:
            raise FiliereError(f"no person mention {mid!r} in this workspace "
                               "(see 'filiere entities WS persons' for mention ids)")


def add(ws: Workspace, mention_a: str, mention_b: str, decision: Decision, reason: str | None,
        actor: str | None = None, agency: str | None = None) -> Judgement:
    """Record a same/different decision on two mentions (in one transaction with its log entry)."""
    if decision not in ("same", "different"):
        raise UsageError(f"decision must be 'same' or 'different', not {decision!r}")
    if mention_a == mention_b:
        raise UsageError("a judgement needs two different mentions")
    if not reason or not reason.strip():
        raise UsageError("a judgement needs a --reason")
    _check_mentions(ws, mention_a, mention_b)
    a, b = sorted((mention_a, mention_b))
    who = actor or audit.default_actor()
    when = _now()
    digest = hashlib.sha256(f"{a}|{b}|{decision}|{who}|{when.isoformat()}".encode()).hexdigest()[:10]
    jid = f"J-{digest}"
    with ws.transaction() as con:
        con.execute("INSERT INTO judgements (judgement_id, mention_id_a, mention_id_b, decision, reason, actor,"
                    " decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)", [jid, a, b, decision, reason, who, when])
        audit.append(ws, LogAction.ALTERATION, f"judgement {jid}: {a} {decision} {b}", reason, actor=who,
                     agency=agency, details={"judgement_id": jid, "decision": decision, "mentions": [a, b]})
    return Judgement(jid, a, b, decision, reason, who, when)


def revoke(ws: Workspace, judgement_id: str, reason: str | None, actor: str | None = None) -> None:
    """Withdraw a judgement; the row is kept with who revoked it, when and why."""
    if not reason or not reason.strip():
        raise UsageError("revoking a judgement needs a --reason")
    rows = ws.con.execute("SELECT revoked_at FROM judgements WHERE judgement_id = ?", [judgement_id]).fetchall()
    row = rows[0] if rows else None
    if row is None:
        raise FiliereError(f"no judgement {judgement_id!r} in this workspace")
    if row[0] is not None:
        raise FiliereError(f"judgement {judgement_id} was already revoked at {row[0]}")
    who = actor or audit.default_actor()
    with ws.transaction() as con:
        con.execute("UPDATE judgements SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE judgement_id = ?",
                    [_now(), who, reason, judgement_id])
        audit.append(ws, LogAction.ALTERATION, f"judgement {judgement_id} revoked", reason, actor=who,
                     details={"judgement_id": judgement_id})


ACTIVE_SQL = """
SELECT judgement_id, mention_id_a, mention_id_b, decision FROM (
    SELECT *, row_number() OVER (PARTITION BY mention_id_a, mention_id_b
                                 ORDER BY decided_at DESC, judgement_id DESC) AS rk
    FROM judgements WHERE revoked_at IS NULL
) WHERE rk = 1
"""


def active(ws: Workspace) -> list[tuple[str, str, str, str]]:
    """(judgement_id, mention_a, mention_b, decision) of the judgements in force, latest per pair."""
    return [tuple(r) for r in ws.con.execute(ACTIVE_SQL + " ORDER BY judgement_id").fetchall()]
