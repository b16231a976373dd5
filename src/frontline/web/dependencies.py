"""Request-scoped pieces: the database session, the settings and the signed-in user.

API calls authenticate with ``Authorization: Bearer <token>``; pages and their htmx
calls with the session cookie, where every unsafe method must also carry the
session's CSRF token (form field ``csrf_token`` or header ``X-CSRF-Token``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from frontline.auth import actions, service
from frontline.auth.models import User
from frontline.core.clock import utcnow
from frontline.core.errors import NotAuthenticated, PermissionDenied
from frontline.core.security import new_csrf_token, same_secret
from frontline.core.settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SESSION_USER = "uid"
SESSION_CSRF = "csrf"


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Iterator[Session]:
    with request.app.state.session_factory() as session:
        yield session


DbSession = Annotated[Session, Depends(get_db)]
AppSettings = Annotated[Settings, Depends(get_settings)]


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    token = request.session.get(SESSION_CSRF)
    if not isinstance(token, str):
        token = new_csrf_token()
        request.session[SESSION_CSRF] = token
    return token


async def check_csrf(request: Request) -> None:
    """Refuse an unsafe cookie-authenticated request without the session's token."""
    if request.method in SAFE_METHODS:
        return
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not same_secret(given, request.session.get(SESSION_CSRF)):
        raise PermissionDenied("Missing or wrong CSRF token; reload the page", field=CSRF_FIELD)


def _bearer(request: Request) -> str | None:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" and credentials.strip() else None


async def current_user(request: Request, session: DbSession) -> User:
    """The user behind the bearer token or the session cookie; 401 otherwise."""
    token_text = _bearer(request)
    if token_text is not None:
        token = service.token_by_secret(session, token_text)
        if token is None or not token.user.active:
            raise NotAuthenticated("Invalid or revoked API token")
        actions.touch_token(session, token, utcnow())
        return token.user
    user_id = request.session.get(SESSION_USER)
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active:
        raise NotAuthenticated("Sign in first")
    await check_csrf(request)
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
