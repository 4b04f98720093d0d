"""Sign in and out, who am I, and opening the case with a justification."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from filiere.model.vocab import LogAction
from filiere.web.auth.passwords import verify_password
from filiere.web.auth.sessions import COOKIE_NAME, MAX_AGE_S, Justification, Session, new_session
from filiere.web.context import AppContext
from filiere.web.deps import Caller, app_context, signed_in
from filiere.web.errors import NotAuthenticated, TooManyAttempts
from filiere.web.users import get_user

router = APIRouter(prefix="/api", tags=["session"])


class LoginIn(BaseModel):
    username: str = Field(max_length=40)
    password: str = Field(max_length=200)
    case_ref: str | None = Field(default=None, max_length=80)
    purpose: str | None = Field(default=None, max_length=300)


class JustificationIn(BaseModel):
    case_ref: str = Field(min_length=2, max_length=80)
    purpose: str = Field(min_length=5, max_length=300)


def _me(user, session: Session) -> dict:
    j = session.justification
    return {"username": user.username, "agency": user.agency, "role": user.role, "csrf": session.csrf,
            "case_ref": j.case_ref if j else None, "purpose": j.purpose if j else None}


def _set_cookie(response: Response, ctx: AppContext, session: Session) -> None:
    response.set_cookie(COOKIE_NAME, ctx.codec.dumps(session), max_age=MAX_AGE_S, httponly=True,
                        secure=ctx.secure_cookies, samesite="strict", path="/")


@router.post("/login", summary="Sign in (rate-limited); optionally open the case at once")
def login(body: LoginIn, request: Request, response: Response, ctx: AppContext = Depends(app_context)) -> dict:
    client = request.client.host if request.client else "?"
    keys = (f"user:{body.username.lower()}", f"addr:{client}")
    wait = ctx.limiter.blocked(*keys)
    if wait:
        raise TooManyAttempts(f"too many failed sign-ins; try again in {int(wait) + 1} s")
    with ctx.reader() as con:
        user = get_user(con, body.username)
    if not verify_password(user.password_hash if user else None, body.password) or user is None or user.disabled:
        ctx.limiter.failed(*keys)
        ctx.record(LogAction.ADMINISTRATION, "failed sign-in", None, actor=body.username[:40], agency=None,
                   details={"client": client})
        raise NotAuthenticated("wrong user name or password")
    ctx.limiter.succeeded(keys[0])
    just = None
    if body.case_ref and body.purpose and len(body.case_ref.strip()) >= 2 and len(body.purpose.strip()) >= 5:
        just = Justification(body.case_ref.strip(), body.purpose.strip())
    session = new_session(user.username, just)
    _set_cookie(response, ctx, session)
    ctx.record(LogAction.ADMINISTRATION, "sign-in" + (" and case opened" if just else ""),
               just.text() if just else None, actor=user.username, agency=user.agency, details={"client": client})
    return _me(user, session)


@router.post("/logout", summary="Sign out")
def logout(response: Response, caller: Caller = Depends(signed_in)) -> dict:
    response.delete_cookie(COOKIE_NAME, path="/")
    caller.log(LogAction.ADMINISTRATION, "sign-out")
    return {"ok": True}


@router.get("/me", summary="The signed-in user, their agency, role, case and CSRF token")
def me(caller: Caller = Depends(signed_in)) -> dict:
    return _me(caller.user, caller.session)


@router.post("/justification", summary="Open the case: case reference and purpose, recorded with every log entry")
def justify(body: JustificationIn, response: Response, caller: Caller = Depends(signed_in)) -> dict:
    just = Justification(body.case_ref.strip(), body.purpose.strip())
    session = caller.session.with_justification(just)
    _set_cookie(response, caller.ctx, session)
    caller.ctx.record(LogAction.ADMINISTRATION, "case opened", just.text(), actor=caller.user.username,
                      agency=caller.user.agency)
    return _me(caller.user, session)
