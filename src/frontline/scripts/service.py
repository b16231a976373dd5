"""Queries for scripts: a contact's script and the caller's previous greeting."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.contacts.models import Contact
from frontline.scripts.models import CallScript, ContactGreeting


def script_for(session: Session, contact: Contact) -> CallScript | None:
    """The active script of the contact's queue, if it has one."""
    return session.scalars(
        select(CallScript).where(
            CallScript.queue_id == contact.queue_id, CallScript.active.is_(True)
        )
    ).first()


def greeting_of(session: Session, contact_id: int) -> ContactGreeting | None:
    return session.scalars(
        select(ContactGreeting).where(ContactGreeting.contact_id == contact_id)
    ).first()


def previous_variant(session: Session, contact: Contact, script_id: int) -> int | None:
    """The variant this caller heard last from ``script_id``: by customer, else by address."""
    if contact.customer_id is not None:
        same_caller = ContactGreeting.customer_id == contact.customer_id
    elif contact.address:
        same_caller = ContactGreeting.address == contact.address
    else:
        return None
    return session.scalars(
        select(ContactGreeting.variant)
        .where(
            same_caller,
            ContactGreeting.script_id == script_id,
            ContactGreeting.contact_id != contact.id,
        )
        .order_by(ContactGreeting.at.desc(), ContactGreeting.id.desc())
        .limit(1)
    ).first()
