"""Call events from a PBX: verified, recorded once, turned into contacts and routing commands.

Events are idempotent by ``event_id``: the first delivery is recorded with the answer
given, and every repeat gets that answer and changes nothing. Events may arrive out of
order: anything about a call whose ``offered`` event has not come yet is kept (not
applied) and applied, in the order of its ``at`` time, when the call is offered.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from frontline.contacts.actions import add_contact
from frontline.contacts.models import Contact, ContactEvent, ContactStatus
from frontline.contacts.schemas import ContactCreate, Routed
from frontline.contacts.service import recent_wait_estimate
from frontline.core.clock import utcnow
from frontline.core.errors import InvalidInput, NotAuthenticated
from frontline.cti.models import CtiCall, CtiIntegration, DialPlanEntry
from frontline.cti.models import CtiEvent as EventRow
from frontline.cti.schemas import CtiAnswer, CtiEvent
from frontline.customers.schemas import normalise_phone
from frontline.org.models import Channel, Queue
from frontline.people.models import Agent
from frontline.routing.models import RoutingCommand
from frontline.routing.service import CommandKind, submit

SIGNATURE_HEADER = "X-Frontline-Signature"
INTEGRATION_HEADER = "X-Frontline-Integration"
SIGNATURE_PREFIX = "sha256="


def signature(secret: str, body: bytes) -> str:
    """The header value a PBX sends: ``sha256=`` and the hex HMAC-SHA256 of the raw body."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def verify(session: Session, code: str | None, body: bytes, given: str | None) -> CtiIntegration:
    """The integration whose key signed ``body``; 401 for anything else."""
    integration = (
        session.scalars(select(CtiIntegration).where(CtiIntegration.code == code)).first()
        if code
        else None
    )
    if integration is None or not integration.active or not given:
        raise NotAuthenticated(f"Unknown integration or missing {SIGNATURE_HEADER} header")
    if not hmac.compare_digest(given.encode(), signature(integration.secret, body).encode()):
        raise NotAuthenticated("The signature does not match the body")
    return integration


@dataclass
class Received:
    """An event's row, and the routing commands it queued (the view waits for them)."""

    row: EventRow
    commands: list[int]
    repeat: bool
    contact_id: int | None = None  # the call's contact, once it has been offered


def receive(session: Session, integration: CtiIntegration, event: CtiEvent) -> Received:
    now = utcnow()
    row = EventRow(
        integration_id=integration.id,
        event_id=event.event_id,
        call_id=event.call_id,
        type=event.type,
        at=event.at or now,
        received_at=now,
        payload=event.model_dump(mode="json"),
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # a repeat: the unique event id says so without a lookup first
        session.rollback()
        again = _recorded(session, integration.id, event.event_id)
        assert again is not None
        link = _call(session, integration.id, event.call_id)
        return Received(again, [], repeat=True, contact_id=link.contact_id if link else None)
    commands, contact_id = _apply_call(session, integration, row, event)
    session.commit()
    return Received(row, commands, repeat=False, contact_id=contact_id)


def _recorded(session: Session, integration_id: int, event_id: str) -> EventRow | None:
    return session.scalars(
        select(EventRow).where(
            EventRow.integration_id == integration_id, EventRow.event_id == event_id
        )
    ).first()


def _call(session: Session, integration_id: int, call_id: str) -> CtiCall | None:
    return session.scalars(
        select(CtiCall).where(CtiCall.integration_id == integration_id, CtiCall.call_id == call_id)
    ).first()


def _apply_call(
    session: Session, integration: CtiIntegration, row: EventRow, event: CtiEvent
) -> tuple[list[int], int | None]:
    """The commands the event queued, and the call's contact if it has one yet."""
    if event.type == "offered":
        link, command = _offer(session, integration, row, event)
        commands = [command]
        row.applied = True
        # What came before the offer, in the order it happened.
        held = session.scalars(
            select(EventRow)
            .where(
                EventRow.integration_id == integration.id,
                EventRow.call_id == event.call_id,
                EventRow.applied.is_(False),
            )
            .order_by(EventRow.at, EventRow.id)
        ).all()
        for earlier in held:
            try:
                held_event = CtiEvent(**earlier.payload)
                commands += _apply_later(session, link, earlier, held_event)
            except InvalidInput as refusal:  # its own sender was told "pending" long ago
                earlier.response = {"error": refusal.message, "field": refusal.field}
        return commands, link.contact_id
    known = _call(session, integration.id, event.call_id)
    if known is None:
        return [], None  # kept until the call is offered
    return _apply_later(session, known, row, event), known.contact_id


def _offer(
    session: Session, integration: CtiIntegration, row: EventRow, event: CtiEvent
) -> tuple[CtiCall, int]:
    """The call's contact, queued; a call offered twice is refused by the unique call id."""
    queue = _queue_for(session, event)
    address = ""
    if event.caller:
        try:
            address = normalise_phone(event.caller)
        except ValueError:
            address = event.caller  # withheld or internal numbers are kept as given
    payload = ContactCreate(
        channel=Channel.VOICE, queue_id=queue.id, address=address, language=event.language
    )
    contact, command = add_contact(session, payload, at=row.at)
    link = CtiCall(integration_id=integration.id, call_id=event.call_id, contact_id=contact.id)
    session.add(link)
    try:
        session.flush()
    except IntegrityError:
        raise InvalidInput(f"Call {event.call_id} was already offered", field="call_id") from None
    return link, command.id


def _queue_for(session: Session, event: CtiEvent) -> Queue:
    if event.queue:
        queue = session.scalars(
            select(Queue).where(Queue.code == event.queue).options(joinedload(Queue.skill))
        ).first()
        if queue is None or not queue.active:
            raise InvalidInput(f"No active queue with code {event.queue}", field="queue")
        return queue
    entries = session.scalars(
        select(DialPlanEntry).where(
            DialPlanEntry.dialled == event.dialled,
            DialPlanEntry.ivr_choice.in_([event.ivr_choice, ""]),
            DialPlanEntry.active.is_(True),
        )
    ).all()
    # The entry for the caller's exact IVR choice wins over the number's catch-all.
    entries = sorted(entries, key=lambda entry: entry.ivr_choice == "")
    if not entries:
        raise InvalidInput(
            f"The dial plan has no queue for {event.dialled} choice {event.ivr_choice!r}",
            field="dialled",
        )
    return session.get_one(Queue, entries[0].queue_id)


def _agent_by_extension(session: Session, extension: str | None, field: str) -> Agent:
    agent = session.scalars(select(Agent).where(Agent.extension == extension)).first()
    if agent is None:
        raise InvalidInput(f"No agent has extension {extension}", field=field)
    return agent


def _apply_later(session: Session, link: CtiCall, row: EventRow, event: CtiEvent) -> list[int]:
    """An event about a call already offered."""
    contact = session.get_one(Contact, link.contact_id)
    row.applied = True
    commands = []
    match event.type:
        case "answered":
            commands.append(submit(session, CommandKind.ACCEPT, contact_id=contact.id))
        case "ended":
            commands.append(submit(session, CommandKind.END, contact_id=contact.id))
        case "abandoned" if contact.callback_number is None:
            # With a number left, the caller's place in line is kept instead.
            commands.append(submit(session, CommandKind.END, contact_id=contact.id))
        case "callback":
            _keep_callback(session, contact, event, row)
        case "transferred":
            commands.append(_transfer(session, contact, event))
    return [command.id for command in commands]


def _keep_callback(session: Session, contact: Contact, event: CtiEvent, row: EventRow) -> None:
    try:
        contact.callback_number = normalise_phone(event.number or "")
    except ValueError as exc:
        raise InvalidInput(f"Not a phone number: {event.number}", field="number") from exc
    session.add(
        ContactEvent(contact_id=contact.id, at=row.at, kind="callback_requested", detail={})
    )


def _transfer(session: Session, contact: Contact, event: CtiEvent) -> RoutingCommand:
    if event.target_queue:
        target = session.scalars(select(Queue).where(Queue.code == event.target_queue)).first()
        if target is None:
            raise InvalidInput(f"No queue with code {event.target_queue}", field="target_queue")
        return submit(
            session, CommandKind.TRANSFER_TO_QUEUE, contact_id=contact.id, queue_id=target.id
        )
    agent = _agent_by_extension(session, event.target_extension, "target_extension")
    return submit(session, CommandKind.TRANSFER_TO_AGENT, contact_id=contact.id, agent_id=agent.id)


def answer_for(
    session: Session, row: EventRow, contact_id: int | None, routed: Routed | None = None
) -> CtiAnswer:
    """What the PBX should do about the call now.

    ``routed`` is the router's answer to the call's enqueue command, when that is all
    that happened: its decisions tell whether the call was offered, and to whom.
    """
    if contact_id is None:
        return CtiAnswer(
            event_id=row.event_id, contact_id=None, status="pending", action="none", pending=True
        )
    contact = session.get_one(Contact, contact_id)
    if routed is not None and routed.applied:
        offers = [
            d["agent_id"]
            for d in routed.decisions
            if d["type"] == "Offer" and d.get("contact_id") == contact_id
        ]
        offered_to = offers[-1] if offers else None
        status = ContactStatus.OFFERED if offers else ContactStatus.WAITING
    else:
        session.refresh(contact)  # the router changed it in its own transaction
        offered_to = (contact.routing_state or {}).get("offered_to")
        status = contact.status
    base = {"event_id": row.event_id, "contact_id": contact.id, "status": status.value}
    if status is ContactStatus.OFFERED and offered_to is not None:
        agent = session.get_one(Agent, offered_to)
        return CtiAnswer(**base, action="ring", extension=agent.extension, agent_id=agent.id)
    if status is ContactStatus.WAITING:
        estimate = recent_wait_estimate(session, contact.queue)
        return CtiAnswer(
            **base, action="queue", estimated_wait_seconds=estimate.estimated_wait_seconds
        )
    return CtiAnswer(**base, action="none", pending=not row.applied)
