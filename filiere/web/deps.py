"""Request dependencies: who is calling, with which rights, through which access rule; CSRF guard."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import duckdb
from fastapi import Depends, Request

from filiere.access import DATA_ROLES, Access
from filiere.model.vocab import LogAction
from filiere.web.auth.sessions import COOKIE_NAME, Session
from filiere.web.context import AppContext
from filiere.web.data.lookup import WorkbenchDb
from filiere.web.errors import CsrfRejected, Forbidden, JustificationRequired, NotAuthenticated
from filiere.web.users import User, get_user

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"
LOGIN_PATH = "/api/login"


def app_context(request: Request) -> AppContext:
    return request.app.state.ctx


@dataclass
class Caller:
    """The signed-in user of one request, their session, and (for data roles) the scoped database."""

    ctx: AppContext
    user: User
    session: Session
    con: duckdb.DuckDBPyConnection
    db: WorkbenchDb

    @property
    def why(self) -> str | None:
        j = self.session.justification
        return j.text() if j else None

    def log(self, action: LogAction, what: str, details: dict[str, Any] | None = None,
            to_whom: str | None = None) -> int:
        return self.ctx.record(action, what, self.why, actor=self.user.username, agency=self.user.agency,
                               details=details, to_whom=to_whom)


def read_session(request: Request, ctx: AppContext) -> Session | None:
    return ctx.codec.loads(request.cookies.get(COOKIE_NAME))


def csrf_guard(request: Request, ctx: AppContext = Depends(app_context)) -> None:
    """State-changing requests: same origin, and (after login) the session's CSRF token in a header.

    Login itself must be JSON (a cross-site form cannot send it without a CORS preflight, which we never
    grant), and the session cookie is SameSite=Strict.
    """
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host"):
        raise CsrfRejected("cross-origin request refused")
    if request.url.path == LOGIN_PATH:
        if not request.headers.get("content-type", "").startswith("application/json"):
            raise CsrfRejected("login must be sent as JSON")
        return
    session = read_session(request, ctx)
    if session is None:
        raise NotAuthenticated("sign in first")
    sent = request.headers.get(CSRF_HEADER, "")
    if not hmac.compare_digest(sent.encode(), session.csrf.encode()):
        raise CsrfRejected("missing or wrong CSRF token (header X-CSRF-Token)")


def _caller(request: Request, ctx: AppContext) -> Iterator[Caller]:
    session = read_session(request, ctx)
    if session is None:
        raise NotAuthenticated("sign in first")
    with ctx.reader() as con:
        user = get_user(con, session.username)
        if user is None or user.disabled:
            raise NotAuthenticated("this account no longer exists or is disabled")
        yield Caller(ctx, user, session, con, WorkbenchDb(con, _access(ctx, con, user), ctx.memo, ctx.lookup))


def _access(ctx: AppContext, con: duckdb.DuckDBPyConnection, user: User) -> Access:
    """The user's access; the visible sources of an agency are remembered (sources cannot change while the
    server holds the workspace), the viewer (name, role) is the user's own."""
    key = ("visible-sources", user.agency, user.viewer.sees_data)
    visible = ctx.memo.get(key)
    if visible is None:
        visible = Access.for_viewer(con, user.viewer).visible
        ctx.memo.put(key, visible)
    return Access(user.viewer, visible)


def signed_in(request: Request, ctx: AppContext = Depends(app_context)) -> Iterator[Caller]:
    yield from _caller(request, ctx)


def data_user(caller: Caller = Depends(signed_in)) -> Caller:
    """Analysts and supervisors who have stated why they open the case."""
    if caller.user.role not in DATA_ROLES:
        raise Forbidden(f"role {caller.user.role!r} may not see personal data")
    if caller.session.justification is None:
        raise JustificationRequired("state the case reference and purpose before opening the case")
    return caller


def log_reader(caller: Caller = Depends(signed_in)) -> Caller:
    if caller.user.role not in ("auditor", "supervisor"):
        raise Forbidden("only auditors and supervisors read the processing log")
    return caller


def admin(caller: Caller = Depends(signed_in)) -> Caller:
    if caller.user.role != "admin":
        raise Forbidden("only admins manage users")
    return caller
