"""Queries about remedies and grants; nothing here commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from frontline.remedies.models import GrantStatus, Remedy, RemedyGrant


def remedies_for(session: Session, product_id: int | None) -> list[Remedy]:
    """The active remedies an agent may offer on a contact of ``product_id``."""
    if product_id is None:
        return []
    return list(
        session.scalars(
            select(Remedy)
            .where(Remedy.product_id == product_id, Remedy.active)
            .order_by(Remedy.problem, Remedy.name)
        )
    )


def grants_of(session: Session, contact_id: int) -> list[RemedyGrant]:
    return list(
        session.scalars(
            select(RemedyGrant)
            .where(RemedyGrant.contact_id == contact_id)
            .options(selectinload(RemedyGrant.remedy))
            .order_by(RemedyGrant.id)
        )
    )


def grants_by_status(session: Session, status: GrantStatus | None = None) -> list[RemedyGrant]:
    """Grants oldest first; all of them, or those in one status."""
    query = select(RemedyGrant).options(
        selectinload(RemedyGrant.remedy).selectinload(Remedy.product),
        selectinload(RemedyGrant.requested_by),
        selectinload(RemedyGrant.decided_by),
        selectinload(RemedyGrant.contact),
    )
    if status is not None:
        query = query.where(RemedyGrant.status == status)
    return list(session.scalars(query.order_by(RemedyGrant.requested_at, RemedyGrant.id)))
