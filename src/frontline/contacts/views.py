"""Contact API: arrival, the agent's operations, wrap-up, the workspace and live routing state."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.auth.access import (
    can_handle_contacts,
    can_read_contacts,
    can_read_wallboard,
    can_supervise,
    require,
    sees_full_contact_details,
)
from frontline.auth.models import User
from frontline.contacts import actions, service, wallboard
from frontline.contacts.models import OPEN_STATUSES, Contact
from frontline.contacts.schemas import (
    AgentStateRead,
    CallbackRequest,
    ContactCreate,
    ContactDetail,
    ContactEventRead,
    ContactListQuery,
    ContactRead,
    Escalation,
    Routed,
    StateChange,
    Transfer,
    WaitEstimate,
    WrapUp,
)
from frontline.core.clock import utcnow
from frontline.core.errors import Conflict, InvalidInput, NotFound
from frontline.core.fields import Id
from frontline.core.paging import Page, fetch_page
from frontline.customers.actions import get_customer
from frontline.customers.masking import mask_email, mask_phone
from frontline.org.models import Queue
from frontline.people.service import agent_id_of
from frontline.routing.models import AgentPresence
from frontline.routing.service import CommandKind
from frontline.web.dependencies import AppSettings, CurrentUser, DbSession
from frontline.web.i18n import time_zone, time_zone_names

router = APIRouter(tags=["contacts"])
ROUTER_ANSWER_SECONDS = 2.0


def settle(request: Request, command_id: int | None) -> Routed:
    """Wait briefly for the router's decision on a command committed by this request.

    The change is committed either way; ``applied: false`` only says the router has not
    answered yet (another node leads and is slow, say) — the decision still follows.
    """
    if command_id is None:
        return Routed(applied=True)
    router = request.app.state.router
    router.wake()
    outcome = router.wait(command_id, ROUTER_ANSWER_SECONDS)
    if outcome is None:
        return Routed(applied=False)
    if outcome.error is not None:
        raise Conflict(outcome.error["message"], field=outcome.error["field"])
    return Routed(applied=True, decisions=(outcome.result or {}).get("decisions", []))


def shown(session: Session, user: User, contact: Contact) -> ContactRead:
    """A contact as ``user`` may see it: agents see addresses masked outside their hands."""
    read = ContactRead.model_validate(contact)
    if sees_full_contact_details(user) or not read.address:
        return read
    agent_id = agent_id_of(session, user.id)
    offered_to = (contact.routing_state or {}).get("offered_to")
    in_hand = agent_id is not None and (
        offered_to == agent_id or (contact.agent_id == agent_id and contact.status in OPEN_STATUSES)
    )
    if not in_hand:
        masked = mask_email if "@" in read.address else mask_phone
        read.address = masked(read.address)
        read.callback_number = read.callback_number and mask_phone(read.callback_number)
    return read


@router.post(
    "/contacts",
    response_model=ContactRead,
    status_code=status.HTTP_201_CREATED,
    summary="A contact arrives on any channel; it is committed, then routed",
)
def create_contact(
    request: Request, user: CurrentUser, session: DbSession, payload: ContactCreate
) -> ContactRead:
    contact, command_id = actions.create_contact(session, user, payload)
    settle(request, command_id)
    session.refresh(contact)
    return shown(session, user, contact)


@router.get("/contacts", response_model=Page[ContactRead], summary="Search contacts")
def list_contacts(
    user: CurrentUser, session: DbSession, query: Annotated[ContactListQuery, Query()]
) -> Page[ContactRead]:
    require(can_read_contacts, user)
    rows, total = fetch_page(session, service.contact_query(session, user, query), query)
    items = [shown(session, user, row) for row in rows]
    return Page[ContactRead](items=items, total=total, page=query.page, per_page=query.per_page)


@router.get("/contacts/{contact_id}", response_model=ContactDetail)
def read_contact(contact_id: Id, user: CurrentUser, session: DbSession) -> ContactDetail:
    contact = service.get_contact(session, user, contact_id)
    events = [ContactEventRead.model_validate(event) for event in contact.events]
    return ContactDetail(**shown(session, user, contact).model_dump(), events=events)


def _operation(kind: CommandKind, summary: str) -> None:
    @router.post(f"/contacts/{{contact_id}}/{kind.value.split('_')[0]}", summary=summary)
    def operate(request: Request, contact_id: Id, user: CurrentUser, session: DbSession) -> Routed:
        return settle(request, actions.command(session, user, contact_id, kind))

    operate.__name__ = f"{kind.value}_contact"


_operation(CommandKind.ACCEPT, "Accept the offer")
_operation(CommandKind.REJECT, "Refuse the offer; the contact keeps its place")
_operation(CommandKind.END, "The conversation is over (chat, e-mail); wrap-up starts")


@router.post("/contacts/{contact_id}/transfer", summary="Transfer to a queue or an agent")
def transfer_contact(
    request: Request, contact_id: Id, user: CurrentUser, session: DbSession, payload: Transfer
) -> Routed:
    return settle(request, actions.transfer(session, user, contact_id, payload))


@router.post("/contacts/{contact_id}/escalate", summary="Escalate to a supervisor")
def escalate_contact(
    request: Request, contact_id: Id, user: CurrentUser, session: DbSession, payload: Escalation
) -> Routed:
    return settle(request, actions.escalate(session, user, contact_id, payload))


@router.post(
    "/contacts/{contact_id}/callback",
    response_model=ContactRead,
    summary="The caller leaves a number and keeps their place in line",
)
def request_callback(
    contact_id: Id, user: CurrentUser, session: DbSession, payload: CallbackRequest
) -> ContactRead:
    require(can_supervise, user)
    contact = actions.request_callback(session, contact_id, payload.number)
    return shown(session, user, contact)


@router.post("/contacts/{contact_id}/wrap-up", response_model=ContactRead)
def wrap_up_contact(
    request: Request, contact_id: Id, user: CurrentUser, session: DbSession, payload: WrapUp
) -> ContactRead:
    settle(request, actions.wrap_up(session, user, contact_id, payload))
    contact = service.get_contact(session, user, contact_id)
    session.refresh(contact)
    return shown(session, user, contact)


@router.get(
    "/customers/{customer_id}/contacts",
    response_model=list[ContactRead],
    tags=["customers"],
    summary="The customer's contacts on every channel, newest first",
)
def customer_timeline(customer_id: Id, user: CurrentUser, session: DbSession) -> list[ContactRead]:
    get_customer(session, user, customer_id)
    return [shown(session, user, contact) for contact in service.timeline(session, customer_id)]


# --- the agent's own routing state --------------------------------------------------------


class AgentToday(BaseModel):
    handled: int
    average_handle_seconds: float | None
    ready_share: float | None


class Workspace(BaseModel):
    agent_id: int
    state: str
    reason: str | None
    since: datetime | None
    contacts: list[ContactRead]
    offer_deadlines: dict[int, datetime]
    today: AgentToday


def agent_state_of(session: Session, agent_id: int) -> AgentStateRead:
    presence = session.get(AgentPresence, agent_id)
    if presence is None:
        return AgentStateRead(agent_id=agent_id, state="logged_out", reason=None, since=None)
    return AgentStateRead(
        agent_id=agent_id, state=presence.state, reason=presence.reason, since=presence.since
    )


def workspace_of(session: Session, user: User, agent_id: int, zone: ZoneInfo) -> Workspace:
    """The agent's work now; "today" is the calendar day in ``zone`` (the user's)."""
    state = agent_state_of(session, agent_id)
    presence = session.get(AgentPresence, agent_id)
    deadlines: dict[int, datetime] = {}
    for item in (presence.routing_state or {}).get("work", []) if presence else []:
        if item["phase"] == "offered" and item["deadline"] is not None:
            deadlines[item["contact_id"]] = datetime.fromtimestamp(
                item["deadline"], utcnow().tzinfo
            )
    now = utcnow()
    day = service.agent_day(session, agent_id, wallboard.day_of(now, zone).start, now)
    return Workspace(
        agent_id=agent_id,
        state=state.state,
        reason=state.reason,
        since=state.since,
        contacts=[shown(session, user, c) for c in service.in_hand(session, agent_id)],
        offer_deadlines=deadlines,
        today=AgentToday(**vars(day)),
    )


@router.get("/workspace", response_model=Workspace, tags=["workspace"], summary="My work now")
def read_workspace(user: CurrentUser, session: DbSession, settings: AppSettings) -> Workspace:
    require(can_handle_contacts, user)
    zone = time_zone(user.time_zone, settings.default_time_zone)
    return workspace_of(session, user, actions.agent_of(session, user).id, zone)


@router.post("/workspace/state", tags=["workspace"], summary="Go ready, not ready or log out")
def change_own_state(
    request: Request, user: CurrentUser, session: DbSession, payload: StateChange
) -> Routed:
    return settle(request, actions.change_own_state(session, user, payload))


# --- supervisors ------------------------------------------------------------------------


@router.get(
    "/routing/agents",
    response_model=list[AgentStateRead],
    tags=["routing"],
    summary="Every agent's routing state",
)
def list_agent_states(user: CurrentUser, session: DbSession) -> list[AgentStateRead]:
    require(can_read_wallboard, user)
    rows = session.scalars(select(AgentPresence).order_by(AgentPresence.agent_id))
    return [
        AgentStateRead(agent_id=r.agent_id, state=r.state, reason=r.reason, since=r.since)
        for r in rows
    ]


@router.post(
    "/routing/agents/{agent_id}/state", tags=["routing"], summary="Change an agent's state"
)
def change_agent_state(
    request: Request, agent_id: Id, user: CurrentUser, session: DbSession, payload: StateChange
) -> Routed:
    return settle(request, actions.change_agent_state(session, user, agent_id, payload))


@router.get(
    "/routing/queues/{queue_id}/wait-estimate",
    response_model=WaitEstimate,
    tags=["routing"],
    summary="Estimated wait for a contact joining the queue now (IVR, chat widget)",
)
def wait_estimate(queue_id: Id, user: CurrentUser, session: DbSession) -> WaitEstimate:
    queue = session.get(Queue, queue_id)
    if queue is None:
        raise NotFound(f"No queue with id {queue_id}", field="queue_id")
    estimate = service.wait_estimate(session, queue)
    return WaitEstimate(queue_id=queue_id, **vars(estimate))


@router.get(
    "/wallboard",
    response_model=wallboard.Wallboard,
    tags=["routing"],
    summary="Per queue and overall: now, this quarter hour, today, and today's chart",
)
def read_wallboard(
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
    time_zone: Annotated[str | None, Query(max_length=64)] = None,
) -> wallboard.Wallboard:
    """The day is the calendar day in ``time_zone`` (default: the user's, else the site's)."""
    require(can_read_wallboard, user)
    name = time_zone or user.time_zone or settings.default_time_zone
    if name not in time_zone_names():
        raise InvalidInput(f"Unknown time zone {name!r}", field="time_zone")
    return wallboard.wallboard(session, now=utcnow(), zone=ZoneInfo(name))
