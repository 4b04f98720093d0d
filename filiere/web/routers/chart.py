"""The link chart, its timeline and its map."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query

from filiere.model.vocab import LogAction
from filiere.web.data import events, graph
from filiere.web.deps import Caller, data_user
from filiere.web.errors import WebError

router = APIRouter(prefix="/api", tags=["chart"])
MAX_IDS = 300


def _ids(ids: str) -> list[str]:
    found = [i.strip() for i in ids.split(",") if i.strip()]
    if not found or len(found) > MAX_IDS:
        raise WebError(f"give between 1 and {MAX_IDS} person ids, comma-separated")
    return found


@router.get("/graph/neighbours", summary="Expand persons: their links and neighbours (super-node guard)")
def neighbours(ids: str = Query(..., max_length=20000), types: str | None = None, since: datetime | None = None,
               until: datetime | None = None, cap: int = Query(graph.DEFAULT_CAP, ge=1, le=200),
               caller: Caller = Depends(data_user)) -> dict:
    wanted = [t for t in (types or "").split(",") if t]
    result = graph.neighbours(caller.db, _ids(ids), wanted or None, since, until, cap)
    caller.log(LogAction.CONSULTATION, "link chart expansion",
               {"ids": _ids(ids), "nodes": len(result["nodes"]), "edges": len(result["edges"])})
    return result


@router.get("/timeline", summary="Events of the persons on the chart")
def timeline(ids: str = Query(..., max_length=20000), caller: Caller = Depends(data_user)) -> dict:
    found = events.around(caller.db, _ids(ids))
    caller.log(LogAction.CONSULTATION, "timeline", {"ids": _ids(ids), "events": len(found)})
    return {"events": found}


@router.get("/map", summary="Sightings, cell sites and crossing points of the persons on the chart")
def places(ids: str = Query(..., max_length=20000), caller: Caller = Depends(data_user)) -> dict:
    found = events.places(caller.db, _ids(ids))
    caller.log(LogAction.CONSULTATION, "map", {"ids": _ids(ids), "points": len(found)})
    return {"points": found}
