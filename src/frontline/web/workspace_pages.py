"""The agent workspace: state, offers, the contact in hand with its customer, wrap-up.

Every button posts a form to an action of ``contacts.actions`` — the same doors the API
uses — and waits for the router's decision (``contacts.views.settle``). The page has three
live parts (``live.py``): ``state`` (the switcher and today's figures), ``offers`` and
``current``; the stream polls the agent's presence row and contacts in hand twice a second.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.auth.access import can_handle_contacts, require
from frontline.auth.models import User
from frontline.contacts import actions, service
from frontline.contacts.models import Contact, ContactStatus, Outcome, WrapUpReason
from frontline.contacts.schemas import Escalation, StateChange, Transfer, WrapUp
from frontline.contacts.views import agent_state_of, settle, workspace_of
from frontline.contacts.wallboard import day_of
from frontline.core.clock import utcnow
from frontline.core.errors import FrontlineError, NotFound
from frontline.core.fields import Id
from frontline.customers import actions as customer_actions
from frontline.customers import service as customer_service
from frontline.customers.schemas import CustomerFilters
from frontline.knowledge import actions as kb_actions
from frontline.knowledge.assist import answer_of, suggestions
from frontline.org.models import Channel, Queue, Skill
from frontline.people.models import Agent
from frontline.remedies import actions as remedy_actions
from frontline.remedies import service as remedy_service
from frontline.remedies.models import GrantStatus
from frontline.remedies.schemas import GrantCreate
from frontline.routing.model import EscalationMode, NotReadyReason
from frontline.routing.models import AgentPresence
from frontline.routing.service import CommandKind
from frontline.web.dependencies import DbSession
from frontline.web.i18n import N_, Viewer
from frontline.web.live import event_stream, stream_user, version
from frontline.web.page_routes import FormFields, PageRoute, PageUser
from frontline.web.templating import flash, render, viewer_for
from frontline.web.workspace_assist import assist_for

router = APIRouter(prefix="/workspace", route_class=PageRoute, include_in_schema=False)

POLL_SECONDS = 0.5
TIMELINE_LENGTH = 10
SEARCH_RESULTS = 10
NOTES_CHARS = 4000  # the wrap-up notes' column
# The reasons a person may pick; "login" and "missed_offer" are the router's own.
CHOSEN_REASONS = [
    reason
    for reason in NotReadyReason
    if reason not in {NotReadyReason.LOGIN, NotReadyReason.MISSED_OFFER}
]
PARTS = ("state", "offers", "current")


def versions(session: Session, agent_id: int) -> dict[str, str]:
    """What each live part shows, digested: one row and one query, cheap to poll."""
    presence = session.get(AgentPresence, agent_id)
    held = service.in_hand(session, agent_id)
    offers = [c.id for c in held if c.status is ContactStatus.OFFERED]
    work = (presence.routing_state or {}).get("work", []) if presence else []
    current = [
        (c.id, c.status.value, c.outcome) for c in held if c.status is not ContactStatus.OFFERED
    ]
    state = (presence.state, presence.reason, presence.since) if presence else None
    return {
        "state": version(state, current),
        "offers": version(offers, [(w.get("contact_id"), w.get("deadline")) for w in work]),
        "current": version(current),
    }


def _state_part(session: Session, user: User, agent: Agent, viewer: Viewer) -> dict[str, Any]:
    now = utcnow()
    return {
        "presence": agent_state_of(session, agent.id),
        "today": service.agent_day(session, agent.id, day_of(now, viewer.time_zone).start, now),
        "reasons": CHOSEN_REASONS,
    }


def _offers_part(session: Session, user: User, agent: Agent, viewer: Viewer) -> dict[str, Any]:
    workspace = workspace_of(session, user, agent.id, viewer.time_zone)
    offers = [c for c in workspace.contacts if c.status is ContactStatus.OFFERED]
    queues = {q.id: q for q in session.scalars(select(Queue))}
    deadlines = {
        contact_id: int(deadline.timestamp() * 1000)  # epoch ms, as the countdown reads them
        for contact_id, deadline in workspace.offer_deadlines.items()
    }
    return {"offers": offers, "deadlines": deadlines, "queues": queues}


def _customer_360(session: Session, user: User, contact: Contact) -> dict[str, Any] | None:
    """The customer of a contact in hand, and their latest contacts; the reading is audited."""
    if contact.customer_id is None:
        return None
    customer = customer_actions.get_customer(session, user, contact.customer_id)
    customer_actions.record_reads(
        session, user, [customer], purpose=f"contact {contact.id}", action="workspace.customer"
    )
    return {
        "customer": customer_service.as_seen_by(session, user, [customer])[0],
        "timeline": service.timeline(session, customer.id, limit=TIMELINE_LENGTH),
    }


def _current_part(session: Session, user: User, agent: Agent, viewer: Viewer) -> dict[str, Any]:
    held = [c for c in service.in_hand(session, agent.id) if c.status is not ContactStatus.OFFERED]
    queues = list(
        session.scalars(
            select(Queue)
            .join(Skill, Skill.id == Queue.skill_id)
            .where(Queue.active)
            .order_by(Queue.code)
        )
    )
    colleagues = session.scalars(
        select(Agent).where(Agent.active, Agent.id != agent.id).order_by(Agent.full_name)
    ).all()
    return {
        "contacts": [
            {
                "contact": contact,
                "c360": _customer_360(session, user, contact),
                "catalogue": service.reason_catalogue(session, contact.product_id),
                "queues": [q for q in queues if q.skill.channel is contact.channel],
                "assist": assist_for(session, contact, agent),
                "suggestions": suggestions(session, contact),
                "remedies": remedy_service.remedies_for(session, contact.product_id),
                "grants": remedy_service.grants_of(session, contact.id),
            }
            for contact in held
        ],
        "outcomes": list(Outcome),
        "colleagues": colleagues,
        "supervisors": service.escalation_targets(session),
        "modes": list(EscalationMode),
    }


BUILDERS: Mapping[str, Callable[[Session, User, Agent, Viewer], dict[str, Any]]] = {
    "state": _state_part,
    "offers": _offers_part,
    "current": _current_part,
}


def _agent(session: Session, user: User) -> Agent:
    require(can_handle_contacts, user)
    return actions.agent_of(session, user)


@router.get("")
def workspace_page(request: Request, user: PageUser, session: DbSession) -> Response:
    agent = _agent(session, user)
    viewer = viewer_for(request, user)
    context: dict[str, Any] = {"agent": agent, "versions": versions(session, agent.id)}
    for build in BUILDERS.values():
        context.update(build(session, user, agent, viewer))
    return render(request, "workspace/page.html", context, user=user, viewer=viewer)


@router.get("/parts/{name}")
def workspace_part(name: str, request: Request, user: PageUser, session: DbSession) -> Response:
    if name not in BUILDERS:
        raise NotFound("No such page")
    agent = _agent(session, user)
    viewer = viewer_for(request, user)
    context = {
        "agent": agent,
        "versions": versions(session, agent.id),
        **BUILDERS[name](session, user, agent, viewer),
    }
    return render(request, f"workspace/_{name}.html", context, user=user, viewer=viewer)


@router.get("/events")
def workspace_events(request: Request) -> Response:
    user = stream_user(request)
    if user is None or not can_handle_contacts(user):
        return Response(status_code=403)
    factory = request.app.state.session_factory
    with factory() as session:
        agent_id = actions.agent_of(session, user).id
    return event_stream(request, lambda session: versions(session, agent_id), POLL_SECONDS)


def routed(request: Request, run: Callable[[], int | None], back: str = "/workspace") -> Response:
    """Run one action, wait for the router's decision, and go back to ``back``; a refusal
    is shown there as a note."""
    with refusal_as_note(request):
        settle(request, run())
    return RedirectResponse(back, status_code=303)


@contextmanager
def refusal_as_note(request: Request) -> Iterator[None]:
    """Bad input or a refused action inside the block becomes a note on the next page."""
    try:
        yield
    except ValidationError as exc:
        errors = "; ".join(str(error["msg"]) for error in exc.errors())
        flash(request, N_("Not done: %(reason)s"), error=True, reason=errors)
    except FrontlineError as exc:
        flash(request, N_("Not done: %(reason)s"), error=True, reason=exc.message)


def _text(form: FormFields, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) and value.strip() else None


def state_change(form: FormFields) -> StateChange:
    state = _text(form, "state")
    # The reason list stands beside every button; it belongs to "not ready" only.
    reason = _text(form, "reason") if state == "not_ready" else None
    return StateChange.model_validate({"state": state, "reason": reason})


@router.post("/state")
def change_state(
    request: Request, user: PageUser, session: DbSession, form: FormFields
) -> Response:
    def run() -> int:
        return actions.change_own_state(session, user, state_change(form))

    return routed(request, run)


COMMANDS = {"accept": CommandKind.ACCEPT, "reject": CommandKind.REJECT, "end": CommandKind.END}


def _in_hand(session: Session, user: User, contact_id: int) -> Contact:
    _agent(session, user)
    return actions.open_in_hand(session, user, contact_id)


@router.get("/contacts/{contact_id}/suggestions")
def contact_suggestions(
    contact_id: Id, request: Request, user: PageUser, session: DbSession
) -> Response:
    """The suggestion block again, for the wrap-up reason the agent has just picked."""
    contact = _in_hand(session, user, contact_id)
    reason_id = request.query_params.get("reason_id", "")
    reason = session.get(WrapUpReason, int(reason_id)) if reason_id.isdigit() else None
    # The article already chosen stays chosen when it is still suggested.
    article_id = request.query_params.get("article_id", "")
    context = {
        "contact": contact,
        "reason": reason,
        "suggestions": suggestions(session, contact, reason=reason),
        "chosen_article": int(article_id) if article_id.isdigit() else None,
    }
    return render(request, "workspace/_suggestions.html", context, user=user)


@router.post("/contacts/{contact_id}/articles/{article_id}/insert")
def insert_answer(  # noqa: PLR0917 - FastAPI passes the path, the request and its dependencies
    contact_id: Id,
    article_id: Id,
    request: Request,
    user: PageUser,
    session: DbSession,
    form: FormFields,
) -> Response:
    """One click: the article's answer goes into the reply (e-mail) or the wrap-up notes.

    Counted as a use of the article either way.
    """
    contact = _in_hand(session, user, contact_id)
    article = kb_actions.get_article(session, user, article_id)
    kb_actions.record_use(session, article.id)
    if contact.channel is Channel.EMAIL:
        target = f"/mail/{contact.id}?article={article.id}"
        return Response(headers={"HX-Redirect": target})
    notes = _text(form, "notes") or ""
    combined = f"{notes.rstrip()}\n\n{answer_of(article)}" if notes.strip() else answer_of(article)
    context = {"contact": contact, "notes": combined[:NOTES_CHARS]}
    return render(request, "workspace/_notes.html", context, user=user)


@router.post("/contacts/{contact_id}/remedies/grant")
def grant_remedy(
    contact_id: Id, request: Request, user: PageUser, session: DbSession, form: FormFields
) -> Response:
    _agent(session, user)
    grant = None
    with refusal_as_note(request):
        payload = GrantCreate.model_validate(
            {
                "remedy_id": _text(form, "remedy_id"),
                "amount": _text(form, "amount") or 0,
                "note": _text(form, "note") or "",
            }
        )
        grant = remedy_actions.grant_remedy(session, user, contact_id, payload)
    if grant is not None and grant.status is GrantStatus.PENDING:
        message = N_("%(remedy)s is waiting for a supervisor's approval")
        flash(request, message, remedy=grant.remedy.name)
    elif grant is not None:
        flash(request, N_("Granted: %(remedy)s"), remedy=grant.remedy.name)
    return RedirectResponse("/workspace", status_code=303)


@router.post("/contacts/{contact_id}/{operation}")
def operate(  # noqa: PLR0917 - FastAPI passes the path, the request and its dependencies
    contact_id: Id,
    operation: str,
    request: Request,
    user: PageUser,
    session: DbSession,
    form: FormFields,
) -> Response:
    fields = {name: _text(form, name) for name in ("queue_id", "agent_id", "mode")}

    def run() -> int | None:
        if operation in COMMANDS:
            return actions.command(session, user, contact_id, COMMANDS[operation])
        if operation == "transfer":
            target = Transfer.model_validate({k: fields[k] for k in ("queue_id", "agent_id")})
            return actions.transfer(session, user, contact_id, target)
        if operation == "escalate":
            escalation = Escalation.model_validate(
                {"agent_id": fields["agent_id"], "mode": fields["mode"] or "warm"}
            )
            return actions.escalate(session, user, contact_id, escalation)
        if operation == "wrap-up":
            payload = WrapUp.model_validate(
                {
                    "reason_id": _text(form, "reason_id"),
                    "outcome": _text(form, "outcome"),
                    "notes": _text(form, "notes") or "",
                    "customer_id": _text(form, "customer_id"),
                    "article_id": _text(form, "article_id"),
                }
            )
            return actions.wrap_up(session, user, contact_id, payload)
        raise NotFound("No such page")

    return routed(request, run)


@router.get("/customers")
def find_customer(request: Request, user: PageUser, session: DbSession) -> Response:
    """Customers to link an unknown caller to, shown (masked) as the customer list shows them."""
    _agent(session, user)
    q = (request.query_params.get("q") or "").strip()[:200]
    found = []
    if q:
        filters = CustomerFilters(q=q, active=True)
        found = list(
            session.scalars(customer_service.customer_query(filters).limit(SEARCH_RESULTS))
        )
        customer_actions.record_reads(
            session, user, found, purpose="link a caller", action="workspace.search"
        )
    context = {"found": customer_service.as_seen_by(session, user, found), "q": q}
    return render(request, "workspace/_found.html", context, user=user)
