"""Errors that cross layers; the HTTP shell turns them into ``{"error": {...}}``."""

from __future__ import annotations


class FrontlineError(Exception):
    """Base of errors a user can act on; ``field`` names the input at fault."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(FrontlineError):
    status_code = 422
    code = "invalid"


class NotFound(FrontlineError):
    """Also what a caller sees when not allowed to know an object exists."""

    status_code = 404
    code = "not_found"


class Conflict(FrontlineError):
    status_code = 409
    code = "conflict"


class NotAuthenticated(FrontlineError):
    status_code = 401
    code = "not_authenticated"


class PermissionDenied(FrontlineError):
    status_code = 403
    code = "forbidden"


class TooManyRequests(FrontlineError):
    status_code = 429
    code = "too_many_requests"
