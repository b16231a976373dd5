"""Requests from the public web form: checked, rate-limited, turned into a routed contact."""

from __future__ import annotations

from datetime import timedelta

import structlog
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontline.channels.mail_out import reference
from frontline.channels.models import WebRequest
from frontline.channels.schemas import WebRequestCreate
from frontline.contacts.actions import add_contact
from frontline.contacts.schemas import ContactCreate
from frontline.core.clock import utcnow
from frontline.core.errors import InvalidInput, TooManyRequests
from frontline.org.models import Channel, Product, Queue, Skill

log = structlog.get_logger()
RATE_WINDOW = timedelta(hours=1)
# What a robot that filled the honeypot is told: the same as a person, so it learns nothing.
DECOY_REFERENCE = ""


def submit(
    session: Session, payload: WebRequestCreate, *, client_address: str, per_hour: int
) -> tuple[str, int | None]:
    """The reference number and the routing command; committed when this returns."""
    if payload.website:
        log.info("web_request.honeypot", client=client_address)
        return DECOY_REFERENCE, None
    now = utcnow()
    recent = session.scalar(
        select(func.count())
        .select_from(WebRequest)
        .where(
            WebRequest.client_address == client_address,
            WebRequest.received_at >= now - RATE_WINDOW,
        )
    )
    if int(recent or 0) >= per_hour:
        raise TooManyRequests("Too many requests from your address; try again later")
    product = session.get(Product, payload.product_id)
    queue = None
    if product is not None and product.active:
        queue = session.scalars(
            select(Queue)
            .join(Skill, Skill.id == Queue.skill_id)
            .where(
                Queue.active.is_(True),
                Skill.channel == Channel.WEB,
                Skill.product_id == product.id,
            )
            .order_by(Queue.id)
        ).first()
    if product is None or queue is None:
        raise InvalidInput(
            f"No product with id {payload.product_id} takes requests", field="product_id"
        )
    contact, command = add_contact(
        session,
        ContactCreate(
            channel=Channel.WEB,
            queue_id=queue.id,
            address=payload.email or payload.phone or "",
            subject=f"{product.name}: {payload.name}"[:500],
        ),
        at=now,
    )
    session.add(
        WebRequest(
            contact_id=contact.id,
            received_at=now,
            client_address=client_address[:64],
            name=payload.name,
            postal_address=payload.address,
            phone=payload.phone or "",
            email=payload.email or "",
            product_id=product.id,
            preferred_at=payload.preferred_at,
            comment=payload.comment,
        )
    )
    session.commit()
    log.info("web_request.received", contact_id=contact.id)
    return reference(contact.id), command.id
