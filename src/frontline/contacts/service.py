"""Queries about contacts: who may see which, customer matching, timelines, wait estimates."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import phonenumbers
from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import Session

from frontline import metrics
from frontline.auth.access import can_read_all_contacts, can_read_contacts
from frontline.auth.models import Role, User
from frontline.contacts.models import (
    OPEN_STATUSES,
    Contact,
    ContactStatus,
    WrapUpReason,
    WrapUpTopic,
)
from frontline.contacts.schemas import ContactListQuery
from frontline.contacts.wallboard import outcome_of
from frontline.core.errors import NotFound
from frontline.customers.models import CustomerEmail, CustomerPhone
from frontline.customers.schemas import DEFAULT_PHONE_REGION
from frontline.org.models import Queue
from frontline.people.models import Agent, AgentSkill
from frontline.people.service import agent_id_of
from frontline.routing.model import AgentState
from frontline.routing.models import AgentPresence, AgentStateSpan

# Until a queue has handled contacts of its own, estimates assume this handle time.
DEFAULT_HANDLE_SECONDS = 180.0
RECENT_CONTACTS = 50


def visible_to(session: Session, user: User, query: Select[Any]) -> Select[Any]:
    """Agents see the contacts they handle or were offered; other readers see all."""
    if can_read_all_contacts(user):
        return query
    agent_id = agent_id_of(session, user.id)
    if agent_id is None:  # "agent_id == None" would match every unanswered contact
        return query.where(false())
    offered = Contact.routing_state["offered_to"].as_integer() == agent_id
    return query.where(or_(Contact.agent_id == agent_id, offered))


def get_contact(session: Session, user: User, contact_id: int) -> Contact:
    """The one door to a contact: unknown and not-allowed look alike."""
    if can_read_contacts(user):
        query = visible_to(session, user, select(Contact).where(Contact.id == contact_id))
        contact: Contact | None = session.scalars(query).first()
        if contact is not None:
            return contact
    raise NotFound(f"No contact with id {contact_id}", field="contact_id")


def contact_query(session: Session, user: User, filters: ContactListQuery) -> Select[Any]:
    query = select(Contact).order_by(Contact.arrived_at.desc(), Contact.id.desc())
    for name in ("status", "queue_id", "agent_id", "customer_id", "channel"):
        value = getattr(filters, name)
        if value is not None:
            query = query.where(getattr(Contact, name) == value)
    return visible_to(session, user, query)


def match_customer(session: Session, address: str) -> int | None:
    """The customer whose phone or e-mail this is, when exactly one customer has it."""
    address = address.strip()
    if not address:
        return None
    if "@" in address:
        query = select(CustomerEmail.customer_id).where(CustomerEmail.address == address.lower())
    else:
        try:
            number = phonenumbers.parse(address, DEFAULT_PHONE_REGION)
        except phonenumbers.NumberParseException:
            return None
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        query = select(CustomerPhone.customer_id).where(CustomerPhone.e164 == e164)
    found = set(session.scalars(query.limit(2)))
    return found.pop() if len(found) == 1 else None


def customer_ids_in_hand(session: Session, agent_id: int | None) -> frozenset[int]:
    """Customers of the contacts an agent holds now (offered, talking or wrapping up)."""
    if agent_id is None:
        return frozenset()
    offered = Contact.routing_state["offered_to"].as_integer() == agent_id
    query = select(Contact.customer_id).where(
        Contact.status.in_(OPEN_STATUSES),
        Contact.customer_id.is_not(None),
        or_(Contact.agent_id == agent_id, offered),
    )
    return frozenset(customer_id for customer_id in session.scalars(query) if customer_id)


def in_hand(session: Session, agent_id: int) -> list[Contact]:
    """The agent's open contacts: offers first, then by arrival."""
    offered = Contact.routing_state["offered_to"].as_integer() == agent_id
    mine = (Contact.agent_id == agent_id) & Contact.status.in_(
        [ContactStatus.ACTIVE, ContactStatus.WRAP_UP]
    )
    rows = session.scalars(
        select(Contact)
        .where(or_((Contact.status == ContactStatus.OFFERED) & offered, mine))
        .order_by(Contact.arrived_at)
    ).all()
    return sorted(rows, key=lambda contact: contact.status is not ContactStatus.OFFERED)


def timeline(session: Session, customer_id: int, limit: int = 50) -> list[Contact]:
    """A customer's contacts on every channel, newest first."""
    return list(
        session.scalars(
            select(Contact)
            .where(Contact.customer_id == customer_id)
            .order_by(Contact.arrived_at.desc(), Contact.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class Estimate:
    waiting: int
    agents_serving: int
    average_handle_seconds: float
    estimated_wait_seconds: float | None


def wait_estimate(session: Session, queue: Queue) -> Estimate:
    """Expected wait for a contact joining ``queue`` now, from the live state.

    EWT = (waiting + 1) x AHT / N: the contacts ahead plus this one are served by the N
    agents logged in with the queue's skill and not on a break, each taking AHT (the
    mean talk time of the queue's last 50 answered contacts). A queue-theoretic estimate
    would need arrival rates the live state does not have; this one reacts at once to
    agents going on break, which is what a caller waiting now cares about.
    """
    waiting = session.scalar(
        select(func.count())
        .select_from(Contact)
        .where(Contact.queue_id == queue.id, Contact.status == ContactStatus.WAITING)
    )
    serving = session.scalar(
        select(func.count())
        .select_from(AgentPresence)
        .join(AgentSkill, AgentSkill.agent_id == AgentPresence.agent_id)
        .where(
            AgentSkill.skill_id == queue.skill_id,
            AgentSkill.proficiency >= queue.min_proficiency,
            AgentPresence.state.not_in([AgentState.LOGGED_OUT, AgentState.NOT_READY]),
        )
    )
    recent = session.execute(
        select(Contact.answered_at, Contact.ended_at)
        .where(
            Contact.queue_id == queue.id,
            Contact.answered_at.is_not(None),
            Contact.ended_at.is_not(None),
        )
        .order_by(Contact.id.desc())
        .limit(RECENT_CONTACTS)
    ).all()
    talk = [(ended - answered).total_seconds() for answered, ended in recent if answered and ended]
    aht = sum(talk) / len(talk) if talk else DEFAULT_HANDLE_SECONDS
    waiting, serving = int(waiting or 0), int(serving or 0)
    ewt = (waiting + 1) * aht / serving if serving else None
    return Estimate(waiting, serving, aht, ewt)


_recent_estimates: dict[int, tuple[float, Estimate]] = {}
ESTIMATE_MAX_AGE_SECONDS = 1.0


def recent_wait_estimate(session: Session, queue: Queue) -> Estimate:
    """:func:`wait_estimate`, computed at most once a second per queue and process.

    An IVR asks for every caller it queues; at hundreds of calls a second the same
    three queries would otherwise run for an answer that changes more slowly than that.
    """
    now = time.monotonic()
    cached = _recent_estimates.get(queue.id)
    if cached is not None and now - cached[0] < ESTIMATE_MAX_AGE_SECONDS:
        return cached[1]
    estimate = wait_estimate(session, queue)
    _recent_estimates[queue.id] = (now, estimate)
    return estimate


@dataclass(frozen=True)
class AgentDay:
    handled: int
    average_handle_seconds: float | None
    ready_share: float | None


def agent_day(session: Session, agent_id: int, day_start: datetime, now: datetime) -> AgentDay:
    """The agent's own figures since ``day_start``: what the workspace shows them.

    Handled and average handle time are ``frontline.metrics``'s, over the contacts the
    agent answered since ``day_start``, so the workspace and the wallboard agree: a
    contact counts once its wrap-up has ended.
    """
    answered = session.scalars(
        select(Contact).where(Contact.agent_id == agent_id, Contact.answered_at >= day_start)
    ).all()
    outcomes = [outcome_of(contact) for contact in answered]
    spans = session.execute(
        select(AgentStateSpan.state, AgentStateSpan.started_at, AgentStateSpan.ended_at).where(
            AgentStateSpan.agent_id == agent_id,
            or_(AgentStateSpan.ended_at.is_(None), AgentStateSpan.ended_at > day_start),
        )
    ).all()
    logged = ready = 0.0
    for state, started, ended in spans:
        length = ((ended or now) - max(started, day_start)) / timedelta(seconds=1)
        logged += max(length, 0.0)
        if state == AgentState.READY:
            ready += max(length, 0.0)
    return AgentDay(
        handled=metrics.handled(outcomes),
        average_handle_seconds=metrics.average_handle_time(outcomes),
        ready_share=ready / logged if logged else None,
    )


def reason_catalogue(
    session: Session, product_id: int | None
) -> list[tuple[WrapUpTopic, list[WrapUpReason]]]:
    """The active topics of a product's wrap-up catalogue, each with its active reasons."""
    if product_id is None:
        return []
    rows = session.execute(
        select(WrapUpTopic, WrapUpReason)
        .join(WrapUpReason, WrapUpReason.topic_id == WrapUpTopic.id)
        .where(WrapUpTopic.product_id == product_id, WrapUpTopic.active, WrapUpReason.active)
        .order_by(WrapUpTopic.name, WrapUpReason.name)
    ).all()
    catalogue: dict[int, tuple[WrapUpTopic, list[WrapUpReason]]] = {}
    for topic, reason in rows:
        catalogue.setdefault(topic.id, (topic, []))[1].append(reason)
    return list(catalogue.values())


def escalation_targets(session: Session) -> list[Agent]:
    """Supervisors with an agent record who are logged in: the router offers them the
    escalated contact, so only they can take one."""
    return list(
        session.scalars(
            select(Agent)
            .join(User, User.id == Agent.user_id)
            .join(AgentPresence, AgentPresence.agent_id == Agent.id)
            .where(
                Agent.active,
                User.role == Role.SUPERVISOR,
                AgentPresence.state != AgentState.LOGGED_OUT,
            )
            .order_by(Agent.full_name)
        )
    )
