"""The processing log for auditors (all of it) and supervisors (their agency), and chain verification."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query

from filiere import audit
from filiere.model.vocab import LogAction
from filiere.web.data import audit_log
from filiere.web.deps import Caller, log_reader

router = APIRouter(prefix="/api/audit", tags=["audit"])


@router.get("", summary="Read and filter the processing log")
def entries(actor: str | None = None, agency: str | None = None, action: LogAction | None = None,
            text: str | None = Query(None, max_length=200), since: datetime | None = None,
            until: datetime | None = None, limit: int = Query(200, ge=1, le=2000),
            caller: Caller = Depends(log_reader)) -> dict:
    if caller.user.role == "supervisor":
        agency = caller.user.agency
    found = audit_log.entries(caller.db, agency=agency, actor=actor, action=action.value if action else None,
                              text=text, since=since, until=until, limit=limit)
    return {"entries": found}


@router.get("/verify", summary="Check the log's hash chain end to end")
def verify(caller: Caller = Depends(log_reader)) -> dict:
    with caller.ctx.write_lock:
        result = audit.verify(caller.ctx.ws)
    return {"ok": result.ok, "entries": result.entries, "problems": result.problems}
