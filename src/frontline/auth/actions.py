"""Signing in, accounts and tokens: every change commits with its audit row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from frontline.audit.actions import add_audit_entry
from frontline.auth import service
from frontline.auth.models import ApiToken, LoginAttempt, Role, User
from frontline.auth.schemas import UserCreate
from frontline.core.clock import as_utc
from frontline.core.errors import Conflict, NotAuthenticated, NotFound, TooManyRequests
from frontline.core.security import (
    dummy_verify,
    hash_password,
    new_api_token,
    token_digest,
    verify_password,
)


@dataclass(frozen=True)
class LoginPolicy:
    max_failures: int
    lockout_seconds: int
    attempts_per_minute: int


def _record(session: Session, now: datetime, address: str, email: str, ok: bool) -> None:
    session.add(LoginAttempt(at=now, address=address[:64], email=email[:254], succeeded=ok))


def authenticate(
    session: Session, policy: LoginPolicy, *, email: str, password: str, address: str, now: datetime
) -> User:
    """The user behind ``email``/``password``, or an error that says nothing about which was wrong.

    Failures are counted per address (rate limit) and per account (temporary lock-out).
    """
    if (
        service.failed_logins_from(session, address, now - timedelta(minutes=1))
        >= policy.attempts_per_minute
    ):
        _record(session, now, address, email, ok=False)
        session.commit()
        raise TooManyRequests("Too many sign-in attempts; wait a minute and try again")
    user = service.user_by_email(session, email)
    if user is None:
        dummy_verify()
        _record(session, now, address, email, ok=False)
        session.commit()
        raise NotAuthenticated("Wrong e-mail or password", field="email")
    if user.locked_until is not None and as_utc(user.locked_until) > now:
        _record(session, now, address, email, ok=False)
        session.commit()
        raise TooManyRequests("The account is locked after repeated failed sign-ins; try later")
    if not verify_password(password, user.password_hash) or not user.active:
        _fail(session, policy, user, now)
        _record(session, now, address, email, ok=False)
        session.commit()
        raise NotAuthenticated("Wrong e-mail or password", field="email")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    _record(session, now, address, email, ok=True)
    add_audit_entry(session, user, "auth.login", "users", user.id, details={"address": address})
    session.commit()
    return user


def _fail(session: Session, policy: LoginPolicy, user: User, now: datetime) -> None:
    user.failed_logins += 1
    if user.failed_logins >= policy.max_failures:
        user.locked_until = now + timedelta(seconds=policy.lockout_seconds)
        user.failed_logins = 0
        add_audit_entry(session, None, "auth.lockout", "users", user.id)


def create_user(session: Session, actor: User | None, payload: UserCreate) -> User:
    """Used by the CLI, where there may be no acting user yet (the first admin)."""
    if service.user_by_email(session, payload.email) is not None:
        raise Conflict(f"A user with e-mail {payload.email} already exists", field="email")
    values = payload.model_dump(exclude={"password"})
    user = User(**values, password_hash=hash_password(payload.password))
    session.add(user)
    session.flush()
    add_audit_entry(
        session, actor, "users.create", "users", user.id, details={"role": str(payload.role)}
    )
    session.commit()
    return user


def create_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal token; the clear token is returned once and never stored."""
    secret = new_api_token()
    token = ApiToken(
        user_id=user.id, name=name, prefix=secret[:10], token_hash=token_digest(secret)
    )
    session.add(token)
    session.flush()
    add_audit_entry(session, user, "tokens.create", "api_tokens", token.id)
    session.commit()
    return token, secret


def revoke_token(session: Session, user: User, token_id: int, now: datetime) -> ApiToken:
    token = session.get(ApiToken, token_id)
    # Another person's token is "not found": its existence is not theirs to learn.
    if token is None or (token.user_id != user.id and user.role is not Role.ADMIN):
        raise NotFound(f"No token with id {token_id}", field="token_id")
    token.revoked_at = token.revoked_at or now
    add_audit_entry(session, user, "tokens.revoke", "api_tokens", token.id)
    session.commit()
    return token


def touch_token(session: Session, token: ApiToken, now: datetime) -> None:
    """Note when a token was last used, at most once a minute to spare writes."""
    if token.last_used_at is None or now - as_utc(token.last_used_at) > timedelta(minutes=1):
        token.last_used_at = now
        session.commit()


def set_own_locale(session: Session, user: User, locale: str) -> User:
    """The interface language the user picked; kept on the account, so it follows them."""
    if user.locale != locale:
        user.locale = locale
        add_audit_entry(session, user, "users.locale", "users", user.id, details={"locale": locale})
        session.commit()
    return user
