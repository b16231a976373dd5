"""Queries about the center's structure; nothing here commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from frontline.org.models import Team


def teams_led_by(session: Session, supervisor_id: int) -> Sequence[Team]:
    """Active teams whose supervisor is the user ``supervisor_id``, by name."""
    query = (
        select(Team)
        .options(joinedload(Team.site))
        .where(Team.supervisor_id == supervisor_id, Team.active.is_(True))
        .order_by(Team.name, Team.id)
    )
    return session.scalars(query).all()
