"""Networks: the ranked list, one network with roles and plans, trying a plan."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from filiere.model.vocab import LogAction
from filiere.web.data import networks, plans
from filiere.web.deps import Caller, data_user
from filiere.web.errors import NotFound

router = APIRouter(prefix="/api", tags=["networks"])


class PlanIn(BaseModel):
    budget: int = Field(3, ge=1, le=50)
    excluded: list[str] = Field(default_factory=list, max_length=500)


@router.get("/networks", summary="Networks with scores and indicators")
def listing(caller: Caller = Depends(data_user)) -> dict:
    found = networks.listing(caller.db)
    caller.log(LogAction.CONSULTATION, "networks list", {"networks": len(found)})
    return {"networks": found}


def _network(caller: Caller, network_id: str) -> dict:
    found = networks.detail(caller.db, network_id)
    if found is None:
        raise NotFound(f"no network {network_id!r} visible to you")
    return found


@router.get("/networks/{network_id}", summary="A network: members, roles, links and plans")
def detail(network_id: str, caller: Caller = Depends(data_user)) -> dict:
    found = _network(caller, network_id)
    caller.log(LogAction.CONSULTATION, f"network {network_id}", {"members": len(found["members"])})
    return found


@router.post("/networks/{network_id}/plan", summary="Try a disruption plan on the visible part of a network")
def try_plan(network_id: str, body: PlanIn, caller: Caller = Depends(data_user)) -> dict:
    net = _network(caller, network_id)
    members = [m["person_id"] for m in net["members"]]
    result = plans.try_plan(members, net["edges"], body.budget, set(body.excluded))
    caller.log(LogAction.CONSULTATION, f"network {network_id} plan tried",
               {"budget": body.budget, "targets": result["targets"], "strategy": result["strategy"]})
    return result
