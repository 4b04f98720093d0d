"""HTML pages: shells that load their data from the JSON API (so the access rule lives in one place)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from filiere.web.context import AppContext
from filiere.web.deps import app_context, read_session
from filiere.web.users import get_user

router = APIRouter(include_in_schema=False)

PAGES = {
    "search": "Search",
    "chart": "Link chart",
    "networks": "Networks",
    "review": "Review",
    "audit": "Log",
}


ROLE_PAGES = {
    "analyst": ("search", "chart", "networks", "review"),
    "supervisor": ("search", "chart", "networks", "review", "audit"),
    "auditor": ("audit",),
    "admin": (),
}


def _page(request: Request, ctx: AppContext, template: str, **extra) -> HTMLResponse:
    session = read_session(request, ctx)
    user = None
    if session is not None:
        with ctx.reader() as con:
            user = get_user(con, session.username)
    if user is None or user.disabled:
        return RedirectResponse("/login", status_code=303)
    pages = {k: PAGES[k] for k in ROLE_PAGES.get(user.role, ())}
    return request.app.state.templates.TemplateResponse(
        request, template, {"pages": pages, "signed_in": True, "active": template.removesuffix(".html"),
                            **extra})


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/search", status_code=303)


@router.get("/login")
def login(request: Request) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, "login.html", {"pages": {}, "active": "login"})


@router.get("/search")
def search(request: Request, ctx: AppContext = Depends(app_context)) -> HTMLResponse:
    return _page(request, ctx, "search.html")


@router.get("/person/{person_id}")
def person(person_id: str, request: Request, ctx: AppContext = Depends(app_context)) -> HTMLResponse:
    return _page(request, ctx, "person.html", entity_id=person_id)


@router.get("/phone/{phone}")
def phone(phone: str, request: Request, ctx: AppContext = Depends(app_context)) -> HTMLResponse:
    return _page(request, ctx, "phone.html", entity_id=phone)


@router.get("/chart")
def chart(request: Request, ctx: AppContext = Depends(app_context)) -> HTMLResponse:
    return _page(request, ctx, "chart.html")


@router.get("/networks")
def networks(request: Request, ctx: AppContext = Depends(app_context)) -> HTMLResponse:
    return _page(request, ctx, "networks.html")


@router.get("/network/{network_id}")
def network(network_id: str, request: Request, ctx: AppContext = Depends(app_context)) -> HTMLResponse:
    return _page(request, ctx, "network.html", entity_id=network_id)


@router.get("/review")
def review(request: Request, ctx: AppContext = Depends(app_context)) -> HTMLResponse:
    return _page(request, ctx, "review.html")


@router.get("/audit")
def audit(request: Request, ctx: AppContext = Depends(app_context)) -> HTMLResponse:
    return _page(request, ctx, "audit.html")
