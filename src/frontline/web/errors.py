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
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.routing import Match

from frontline.core.errors import FrontlineError, NotAuthenticated

log = structlog.get_logger()


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None


class ErrorBody(BaseModel):
    """The shape of every API error, documented in the OpenAPI schema."""

    error: ErrorDetail


# Documented on every API route, so clients (and schema checkers) know the shape of a 4xx.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (400, "The body could not be read (not UTF-8, not JSON)"),
        (401, "Not signed in, or the token is invalid or revoked"),
        (403, "The role does not allow this, or the CSRF token is missing"),
        (404, "No such object, or not one the caller may see"),
        (409, "A unique value is already taken"),
        (422, "Invalid input; `field` names it"),
    )
}


def error_body(code: str, message: str, field: str | None) -> dict[str, Any]:
    return ErrorBody(error=ErrorDetail(code=code, message=message, field=field)).model_dump()


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


def _allowed_methods(request: Request) -> str:
    """Every method the path answers to; Starlette names only the first route's."""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= route.methods or set()
    return ", ".join(sorted(methods))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    codes = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}
    code = codes.get(exc.status_code, "http_error")
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request)
    return JSONResponse(
        error_body(code, str(exc.detail), None), status_code=exc.status_code, headers=headers
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
