"""Changes to contacts: arrival, the agent's operations on them, wrap-up and callbacks.

Whatever changes routing is a :class:`RoutingCommand` committed in the same transaction
as the rest of the change; the router applies it (``routing/service.py``). Functions
that only add to a caller's transaction are named ``add_*``; the others commit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.auth.access import can_handle_contacts, can_supervise, require
from frontline.auth.models import User
from frontline.contacts.models import (
    OPEN_STATUSES,
    Contact,
    ContactEvent,
    ContactStatus,
    WrapUpReason,
)
from frontline.contacts.schemas import (
    ContactCreate,
    Escalation,
    StateChange,
    Transfer,
    WrapUp,
)
from frontline.contacts.service import get_contact, match_customer
from frontline.core.clock import utcnow
from frontline.core.errors import Conflict, InvalidInput, NotFound
from frontline.customers.models import Customer
from frontline.knowledge.models import ArticleStatus, KbArticle
from frontline.org.models import Channel, Queue
from frontline.people.models import Agent
from frontline.routing.models import RoutingCommand
from frontline.routing.service import CommandKind, submit


def agent_of(session: Session, user: User) -> Agent:
    """The agent record of a signed-in user; routing works with agents, not users."""
    agent = session.scalars(select(Agent).where(Agent.user_id == user.id)).first()
    if agent is None or not agent.active:
        raise Conflict("Your account has no active agent record", field="agent_id")
    return agent


def add_contact(
    session: Session, payload: ContactCreate, *, at: datetime | None = None
) -> tuple[Contact, RoutingCommand]:
    """A new contact, matched to its customer and queued, in the caller's transaction."""
    queue = session.get(Queue, payload.queue_id)
    if queue is None or not queue.active:
        raise InvalidInput(f"No active queue with id {payload.queue_id}", field="queue_id")
    if queue.skill.channel is not payload.channel:
        raise InvalidInput(
            f"Queue {queue.code} takes {queue.skill.channel.value} contacts, "
            f"not {payload.channel.value}",
            field="queue_id",
        )
    if payload.customer_id is not None and session.get(Customer, payload.customer_id) is None:
        raise InvalidInput(f"No customer with id {payload.customer_id}", field="customer_id")
    arrived = at or utcnow()
    contact = Contact(
        channel=payload.channel,
        direction=payload.direction,
        status=ContactStatus.WAITING,
        queue_id=queue.id,
        product_id=payload.product_id or queue.skill.product_id,
        customer_id=payload.customer_id or match_customer(session, payload.address),
        address=payload.address,
        subject=payload.subject,
        language=payload.language or queue.skill.language,
        priority=payload.priority,
        arrived_at=arrived,
    )
    session.add(contact)
    session.flush()
    session.add(ContactEvent(contact_id=contact.id, at=arrived, kind="arrived", queue_id=queue.id))
    return contact, submit(session, CommandKind.ENQUEUE, contact_id=contact.id)


def create_contact(session: Session, user: User, payload: ContactCreate) -> tuple[Contact, int]:
    require(can_supervise, user)
    contact, command = add_contact(session, payload)
    session.commit()
    return contact, command.id


def _handled_by(session: Session, user: User, contact: Contact) -> None:
    """Agents act on contacts offered to them or in their hands; supervisors on any."""
    require(can_handle_contacts, user)
    if can_supervise(user):
        return
    agent = agent_of(session, user)
    state = contact.routing_state or {}
    mine = contact.agent_id == agent.id or agent.id in (
        state.get("offered_to"),
        state.get("handler_id"),
    )
    if not mine:
        raise NotFound(f"No contact {contact.id} in your hands", field="contact_id")


def open_in_hand(session: Session, user: User, contact_id: int) -> Contact:
    require(can_handle_contacts, user)
    contact = get_contact(session, user, contact_id)
    _handled_by(session, user, contact)
    if contact.status not in OPEN_STATUSES:
        raise Conflict(f"Contact {contact_id} is {contact.status.value}", field="contact_id")
    return contact


def command(session: Session, user: User, contact_id: int, kind: CommandKind) -> int:
    """Accept, reject or end a contact; the router checks it is in the right state."""
    open_in_hand(session, user, contact_id)
    queued = submit(session, kind, contact_id=contact_id)
    session.commit()
    return queued.id


def transfer(session: Session, user: User, contact_id: int, payload: Transfer) -> int:
    contact = open_in_hand(session, user, contact_id)
    if payload.queue_id is not None:
        target = session.get(Queue, payload.queue_id)
        if target is None or not target.active:
            raise InvalidInput(f"No active queue with id {payload.queue_id}", field="queue_id")
        if target.skill.channel is not contact.channel:
            raise InvalidInput(
                f"Queue {target.code} does not take {contact.channel.value} contacts",
                field="queue_id",
            )
        queued = submit(
            session, CommandKind.TRANSFER_TO_QUEUE, contact_id=contact_id, queue_id=target.id
        )
    else:
        _existing_agent(session, payload.agent_id)
        queued = submit(
            session, CommandKind.TRANSFER_TO_AGENT, contact_id=contact_id, agent_id=payload.agent_id
        )
    session.commit()
    return queued.id


def escalate(session: Session, user: User, contact_id: int, payload: Escalation) -> int:
    open_in_hand(session, user, contact_id)
    _existing_agent(session, payload.agent_id)
    queued = submit(
        session,
        CommandKind.ESCALATE,
        contact_id=contact_id,
        agent_id=payload.agent_id,
        mode=payload.mode.value,
    )
    session.commit()
    return queued.id


def _existing_agent(session: Session, agent_id: int | None) -> Agent:
    agent = session.get(Agent, agent_id) if agent_id is not None else None
    if agent is None or not agent.active:
        raise InvalidInput(f"No active agent with id {agent_id}", field="agent_id")
    return agent


def request_callback(session: Session, contact_id: int, number: str) -> Contact:
    """The caller leaves a number and hangs up; the contact keeps its place in line."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(f"No contact with id {contact_id}", field="contact_id")
    if contact.channel is not Channel.VOICE or contact.status is not ContactStatus.WAITING:
        raise Conflict("Only a waiting call can become a callback", field="contact_id")
    contact.callback_number = number
    session.add(
        ContactEvent(contact_id=contact.id, at=utcnow(), kind="callback_requested", detail={})
    )
    session.commit()
    return contact


def wrap_up(session: Session, user: User, contact_id: int, payload: WrapUp) -> int | None:
    """Record reason, outcome and notes; ends the agent's wrap-up time if it still runs.

    Allowed until the form is filled once, even after the queue's wrap-up limit freed the
    agent: the limit protects the queue, not the record.
    """
    require(can_handle_contacts, user)
    contact = get_contact(session, user, contact_id)
    _handled_by(session, user, contact)
    if contact.status in {ContactStatus.WAITING, ContactStatus.OFFERED}:
        raise Conflict(f"Contact {contact_id} has not been answered", field="contact_id")
    if contact.outcome is not None:
        raise Conflict(f"Contact {contact_id} is already wrapped up", field="contact_id")
    reason = session.get(WrapUpReason, payload.reason_id)
    if reason is None or not reason.active:
        raise InvalidInput(f"No active reason with id {payload.reason_id}", field="reason_id")
    if contact.product_id is not None and reason.topic.product_id != contact.product_id:
        raise InvalidInput("That reason belongs to another product", field="reason_id")
    if payload.customer_id is not None:
        if session.get(Customer, payload.customer_id) is None:
            raise InvalidInput(f"No customer with id {payload.customer_id}", field="customer_id")
        contact.customer_id = payload.customer_id
    if payload.article_id is not None:
        article = session.get(KbArticle, payload.article_id)
        if article is None or article.status is not ArticleStatus.PUBLISHED:
            raise InvalidInput(
                f"No published article with id {payload.article_id}", field="article_id"
            )
        contact.solved_by_article_id = article.id
    contact.reason_id, contact.outcome, contact.notes = reason.id, payload.outcome, payload.notes
    contact.wrapped_up_by = user.id
    session.add(
        ContactEvent(
            contact_id=contact.id,
            at=utcnow(),
            kind="wrapped_up",
            agent_id=contact.agent_id,
            detail={
                "reason_id": reason.id,
                "outcome": payload.outcome.value,
                "article_id": payload.article_id,
            },
        )
    )
    queued = None
    if contact.status is ContactStatus.WRAP_UP and contact.agent_id is not None:
        queued = submit(
            session, CommandKind.WRAP_UP_DONE, contact_id=contact.id, agent_id=contact.agent_id
        )
    session.commit()
    return None if queued is None else queued.id


def change_state(session: Session, agent_id: int, change: StateChange) -> int:
    kinds = {
        "ready": CommandKind.READY,
        "not_ready": CommandKind.NOT_READY,
        "logged_out": CommandKind.LOGOUT,
    }
    reason = None if change.reason is None else change.reason.value
    queued = submit(session, kinds[change.state], agent_id=agent_id, reason=reason)
    session.commit()
    return queued.id


def change_own_state(session: Session, user: User, change: StateChange) -> int:
    require(can_handle_contacts, user)
    return change_state(session, agent_of(session, user).id, change)


def change_agent_state(session: Session, user: User, agent_id: int, change: StateChange) -> int:
    require(can_supervise, user)
    _existing_agent(session, agent_id)
    return change_state(session, agent_id, change)
