"""Queries about accounts; nothing here commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontline.auth.models import ApiToken, LoginAttempt, User
from frontline.core.security import token_digest


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def token_by_secret(session: Session, token: str) -> ApiToken | None:
    """The live token whose digest matches ``token``."""
    return session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == token_digest(token), ApiToken.revoked_at.is_(None)
        )
    )


def failed_logins_from(session: Session, address: str, since: datetime) -> int:
    query = select(func.count(LoginAttempt.id)).where(
        LoginAttempt.address == address,
        LoginAttempt.at >= since,
        LoginAttempt.succeeded.is_(False),
    )
    return int(session.scalar(query) or 0)


def tokens_of(session: Session, user: User) -> Sequence[ApiToken]:
    return session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    ).all()
