"""The FastAPI application factory."""

from __future__ import annotations

import secrets
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.routing import BaseRoute

from filiere.web.auth.ratelimit import LoginLimiter
from filiere.web.auth.sessions import SessionCodec
from filiere.web.context import AppContext
from filiere.web.deps import csrf_guard
from filiere.web.errors import install_error_handlers
from filiere.web.routers import assets, audit, auth, chart, exports, networks, pages, profiles, review, search, users
from filiere.workspace import Workspace

WEB_DIR = Path(__file__).resolve().parent
SECRET_FILE = "web_secret"
CSP = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


def all_routes(app: FastAPI) -> Iterator[BaseRoute]:
    """Every route of the app, looking inside included routers (FastAPI includes them lazily)."""

    def walk(routes: list[BaseRoute]) -> Iterator[BaseRoute]:
        for r in routes:
            inner = getattr(r, "original_router", None)
            if inner is not None:
                yield from walk(inner.routes)
            else:
                yield r

    return walk(app.routes)


def workspace_secret(ws: Workspace) -> str:
    """The cookie-signing key, kept beside the database (created once, readable by its owner only)."""
    path = ws.path / SECRET_FILE
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def create_app(workspace_path: str | Path, *, secret_key: str | None = None, secure_cookies: bool = True,
               assets_dir: Path | None = None, login_limiter: LoginLimiter | None = None,
               workspace: Workspace | None = None, warm_up: bool = False) -> FastAPI:
    """Build the workbench over one workspace (opened read-write: the log and judgements are written)."""
    ws = workspace or Workspace.open(workspace_path)
    ctx = AppContext(ws=ws, codec=SessionCodec(secret_key or workspace_secret(ws)), secure_cookies=secure_cookies,
                     assets_dir=assets_dir or WEB_DIR, limiter=login_limiter or LoginLimiter())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if warm_up:  # build the name index before the first search needs it
            threading.Thread(target=ctx.warm_up, name="filiere-warm-up", daemon=True).start()
        yield
        if workspace is None:
            ctx.close()

    app = FastAPI(title="filiere workbench", version="1", docs_url=None, redoc_url=None, lifespan=lifespan,
                  openapi_url="/api/openapi.json", dependencies=[Depends(csrf_guard)],
                  description="JSON API of the analyst workbench. Every error has the shape "
                              "`{\"error\": {\"status\", \"code\", \"message\", \"detail\"}}`.")
    app.state.ctx = ctx
    app.state.templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
    install_error_handlers(app)
    for r in (auth, search, profiles, chart, networks, review, exports, audit, users, assets, pages):
        app.include_router(r.router)
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/api/openapi.json", title="filiere API",
                                   swagger_js_url="/vendor/swagger-ui-dist/swagger-ui-bundle.js",
                                   swagger_css_url="/vendor/swagger-ui-dist/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        path = request.url.path
        response.headers["Content-Security-Policy"] = DOCS_CSP if path == "/api/docs" else CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        if not path.startswith(("/vendor/", "/static/")):
            response.headers["Cache-Control"] = "no-store"
        return response

    return app
