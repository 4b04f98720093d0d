"""User administration (admins): list users and add one."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from filiere.errors import UsageError
from filiere.web import users
from filiere.web.deps import Caller, admin
from filiere.web.errors import WebError

router = APIRouter(prefix="/api/users", tags=["users"])


class UserIn(BaseModel):
    username: str = Field(max_length=40)
    agency: str = Field(max_length=40)
    role: str = Field(max_length=20)
    password: str = Field(min_length=10, max_length=200)


@router.get("", summary="List users")
def listing(caller: Caller = Depends(admin)) -> dict:
    return {"users": users.list_users(caller.con)}


@router.post("", summary="Add a user")
def add(body: UserIn, caller: Caller = Depends(admin)) -> dict:
    try:
        with caller.ctx.write_lock:
            user = users.add_user(caller.ctx.ws, body.username, body.agency, body.role, body.password,
                                  actor=caller.user.username)
    except UsageError as exc:
        raise WebError(str(exc)) from None
    return {"username": user.username, "agency": user.agency, "role": user.role}
