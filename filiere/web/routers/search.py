"""Search names (any spelling or script), phones (any format) and plates."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from filiere.model.vocab import LogAction
from filiere.web.data import search as data
from filiere.web.deps import Caller, data_user

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/search", summary="Search persons, phones and plates the caller's agency may see")
def search(q: str = Query(..., min_length=1, max_length=120), caller: Caller = Depends(data_user)) -> dict:
    result = data.search(caller.db, caller.con, caller.ctx.names, q)
    caller.log(LogAction.CONSULTATION, "search", {"query": q, "persons": len(result["persons"]),
                                                   "phones": len(result["phones"]),
                                                   "vehicles": len(result["vehicles"])})
    return result
