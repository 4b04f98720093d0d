"""Errors of the web API: each carries its HTTP status and a stable code; one JSON envelope for all.

Every error response, whatever raised it (our code, FastAPI validation, an unknown route, a crash), has
the shape ``{"error": {"status": int, "code": str, "message": str, "detail": any}}`` — pinned by a test.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


class WebError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, detail: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class NotAuthenticated(WebError):
    status, code = 401, "not_authenticated"


class Forbidden(WebError):
    status, code = 403, "forbidden"


class CsrfRejected(WebError):
    status, code = 403, "csrf_rejected"


class JustificationRequired(WebError):
    status, code = 428, "justification_required"


class NotFound(WebError):
    status, code = 404, "not_found"


class Conflict(WebError):
    status, code = 409, "conflict"


class TooManyAttempts(WebError):
    status, code = 429, "too_many_attempts"


class Unavailable(WebError):
    status, code = 503, "unavailable"


def envelope(status: int, code: str, message: str, detail: Any = None) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message, "detail": detail}}


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(WebError)
    async def _web_error(request: Request, exc: WebError) -> JSONResponse | RedirectResponse:
        if isinstance(exc, NotAuthenticated | JustificationRequired) and _wants_html(request):
            return RedirectResponse("/login", status_code=303)
        return JSONResponse(envelope(exc.status, exc.code, exc.message, exc.detail), status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(envelope(exc.status_code, code, str(exc.detail)), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in exc.errors()]
        return JSONResponse(envelope(422, "invalid_request", "the request is not valid", detail), status_code=422)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(envelope(500, "internal_error", "internal error; see the server log"), status_code=500)
