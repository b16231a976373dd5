"""Channel API: the agent's e-mail reply, a contact's messages, the public web request."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from frontline.channels import actions, web_form
from frontline.channels.schemas import (
    MessageRead,
    ReplyCreate,
    WebRequestAccepted,
    WebRequestCreate,
)
from frontline.contacts.views import settle
from frontline.core.fields import Id
from frontline.web.dependencies import AppSettings, CurrentUser, DbSession, client_address

router = APIRouter(tags=["channels"])


@router.post(
    "/contacts/{contact_id}/reply",
    response_model=MessageRead,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Answer an e-mail or web contact; queued in the outbox and sent exactly once",
)
def reply(
    contact_id: Id,
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
    payload: ReplyCreate,
) -> MessageRead:
    message = actions.reply(session, user, contact_id, payload, settings)
    return next(m for m in actions.thread(session, user, contact_id) if m.id == message.id)


@router.get(
    "/contacts/{contact_id}/messages",
    response_model=list[MessageRead],
    summary="The contact's e-mail thread, oldest first",
)
def messages(contact_id: Id, user: CurrentUser, session: DbSession) -> list[MessageRead]:
    return actions.thread(session, user, contact_id)


@router.post(
    "/web-requests",
    response_model=WebRequestAccepted,
    status_code=status.HTTP_201_CREATED,
    tags=["public"],
    summary="An order or request from the public web form (no sign-in)",
    description="Rate-limited per client address; answers with the reference number.",
)
def create_web_request(
    request: Request, session: DbSession, settings: AppSettings, payload: WebRequestCreate
) -> WebRequestAccepted:
    number, command_id = web_form.submit(
        session,
        payload,
        client_address=client_address(request),
        per_hour=settings.web_requests_per_hour,
    )
    settle(request, command_id)
    return WebRequestAccepted(reference=number)
