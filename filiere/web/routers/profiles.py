"""Person and phone profiles: every visible mention with its provenance."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from filiere.model.vocab import LogAction
from filiere.web.data import persons, phones
from filiere.web.deps import Caller, data_user
from filiere.web.errors import NotFound

router = APIRouter(prefix="/api", tags=["profiles"])


@router.get("/persons/{person_id}", summary="Person profile (reduced to what the caller may see)")
def person(person_id: str, caller: Caller = Depends(data_user)) -> dict:
    found = persons.profile(caller.db, person_id)
    if found is None:
        raise NotFound(f"no person {person_id!r} visible to you")
    caller.log(LogAction.CONSULTATION, f"person {person_id} profile",
               {"mentions": len(found["mentions"]), "sources": sorted({m["source_id"] for m in found["mentions"]})})
    return found


@router.get("/phones/{phone}", summary="Phone profile: subscribers, owners, counterparts")
def phone(phone: str, caller: Caller = Depends(data_user)) -> dict:
    e164 = phones.to_e164(phone) or phone
    found = phones.profile(caller.db, e164)
    if found is None:
        raise NotFound(f"no phone {phone!r} visible to you")
    caller.log(LogAction.CONSULTATION, f"phone {e164} profile", {"events": found["n_events"]})
    return found
