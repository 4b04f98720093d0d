"""Entity-resolution review: the queue, and confirming or rejecting a merge (writes a judgement)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from filiere.errors import FiliereError
from filiere.model.vocab import LogAction
from filiere.web.data import review
from filiere.web.deps import Caller, data_user
from filiere.web.errors import NotFound, WebError

router = APIRouter(prefix="/api", tags=["review"])


class JudgementIn(BaseModel):
    mention_id_a: str = Field(max_length=200)
    mention_id_b: str = Field(max_length=200)
    decision: Literal["same", "different"]
    reason: str = Field(min_length=3, max_length=500)


@router.get("/review", summary="Scored mention pairs awaiting an analyst's decision")
def queue(caller: Caller = Depends(data_user)) -> dict:
    pairs = review.queue(caller.db)
    caller.log(LogAction.CONSULTATION, "resolution review queue", {"pairs": len(pairs)})
    return {"pairs": pairs}


@router.post("/review/judgements", summary="Confirm (same) or reject (different) a merge")
def judge(body: JudgementIn, caller: Caller = Depends(data_user)) -> dict:
    if body.mention_id_a == body.mention_id_b:
        raise WebError("a judgement needs two different mentions")
    if not review.both_visible(caller.db, body.mention_id_a, body.mention_id_b):
        raise NotFound("no such pair of mentions visible to you")
    ctx = caller.ctx
    try:
        with ctx.writer():
            jid = review.record_judgement(ctx.ws, body.mention_id_a, body.mention_id_b, body.decision,
                                          body.reason, caller.user.username, caller.user.agency, caller.why)
    except FiliereError as exc:
        raise WebError(str(exc)) from None
    return {"judgement_id": jid, "decision": body.decision}
