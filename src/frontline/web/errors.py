"""Every error leaves as JSON ``{"error": {"code", "message", "field"}}`` or a page.

API paths always get JSON with a 4xx status; a 500 is a bug, never the answer to
bad input. Pages that need a signed-in user redirect to the login page instead.
"""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from frontline.core.errors import FrontlineError, NotAuthenticated

log = structlog.get_logger()


def error_body(code: str, message: str, field: str | None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}}


def field_of(location: tuple[int | str, ...]) -> str | None:
    """``("body", "phones", 0)`` → ``"phones.0"``; the request part is dropped."""
    parts = (
        [str(part) for part in location[1:]] if len(location) > 1 else [str(p) for p in location]
    )
    return ".".join(parts) or None


def _wants_page(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


async def _frontline_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, FrontlineError)
    if isinstance(exc, NotAuthenticated) and _wants_page(request):
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    return JSONResponse(error_body(exc.code, exc.message, exc.field), status_code=exc.status_code)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "Invalid request"}
    field = field_of(tuple(first.get("loc", ())))
    message = str(first.get("msg", "Invalid value"))
    if field:
        message = f"{field}: {message}"
    return JSONResponse(error_body("invalid", message, field), status_code=422)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return JSONResponse(
        error_body(code, str(exc.detail), None), status_code=exc.status_code, headers=exc.headers
    )


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("http.unhandled", path=request.url.path)
    return JSONResponse(
        error_body("internal", "Internal error; it has been logged", None), status_code=500
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(FrontlineError, _frontline_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
