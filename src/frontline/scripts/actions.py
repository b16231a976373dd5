"""Showing a script for a contact: the greeting is picked once and recorded on the contact."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.contacts.models import Contact
from frontline.core.clock import utcnow
from frontline.customers.models import Customer
from frontline.org.models import Queue
from frontline.scripts import service
from frontline.scripts.models import CallScript, ContactGreeting
from frontline.scripts.schemas import ShownChoice, ShownScript, ShownStep
from frontline.scripts.script import ScriptError, Variables, next_greeting, parse_script


def variables_for(session: Session, contact: Contact, agent_name: str) -> Variables:
    customer = session.get(Customer, contact.customer_id) if contact.customer_id else None
    return Variables(
        customer_name=customer.name if customer is not None else "",
        product=contact.product.name if contact.product is not None else "",
        agent_name=agent_name,
    )


def script_for_contact(session: Session, contact: Contact, agent_name: str) -> ShownScript | None:
    """The contact's script filled in for it; commits the greeting the first time.

    The first showing fixes the variant (the one after the caller's previous greeting)
    and records it; later showings of the same contact repeat it.
    """
    row = service.script_for(session, contact)
    if row is None:
        return None
    try:
        script = parse_script(row.body)
    except ScriptError:
        # Saved scripts were checked; one broken by hand in the database is not shown.
        return None
    greeting = service.greeting_of(session, contact.id)
    if (
        greeting is None
        or greeting.script_id != row.id
        or greeting.variant >= len(script.greetings)
    ):
        previous = service.previous_variant(session, contact, row.id)
        variant = next_greeting(len(script.greetings), previous, contact.id)
        if greeting is None:
            greeting = ContactGreeting(contact_id=contact.id, at=utcnow())
            session.add(greeting)
        greeting.script_id, greeting.variant = row.id, variant
        greeting.customer_id, greeting.address = contact.customer_id, contact.address
        session.commit()
    values = variables_for(session, contact, agent_name)
    steps = tuple(
        ShownStep(
            name=step.name,
            say=step.say.format_map(values),
            choices=tuple(ShownChoice(c.label.format_map(values), c.next) for c in step.choices),
        )
        for step in script.steps.values()
    )
    return ShownScript(
        script_id=row.id,
        name=row.name,
        greeting=script.greetings[greeting.variant].format_map(values),
        variant=greeting.variant,
        start=script.start,
        steps=steps,
    )


DEMO_SCRIPT = Path(__file__).resolve().parent / "demo_script.yaml"
DEMO_QUEUE_PREFIX = "VOICE-"


def add_demo_scripts(session: Session) -> int:
    """The demo script on every voice queue that has none; the caller commits."""
    text = DEMO_SCRIPT.read_text(encoding="utf-8")
    parse_script(text)  # a broken demo file fails here, not in front of an agent
    taken = set(session.scalars(select(CallScript.queue_id)))
    queues = session.scalars(
        select(Queue).where(Queue.code.startswith(DEMO_QUEUE_PREFIX)).order_by(Queue.code)
    ).all()
    added = [
        CallScript(name=f"{queue.name}: скрипт", queue_id=queue.id, body=text)
        for queue in queues
        if queue.id not in taken
    ]
    session.add_all(added)
    return len(added)
