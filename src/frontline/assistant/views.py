"""Assistant API: open to customers (no token), so a widget, a page or an IVR can call it."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from frontline.assistant import actions, service
from frontline.assistant.models import AssistantConversation
from frontline.assistant.schemas import (
    ConversationCreate,
    ConversationRead,
    MessageCreate,
    Reply,
    TurnRead,
)
from frontline.auth.access import can_read_wallboard, require
from frontline.channels.mail_out import reference
from frontline.core.clock import utcnow
from frontline.web.dependencies import CurrentUser, DbSession
from frontline.web.i18n import Catalogs

router = APIRouter(prefix="/assistant", tags=["assistant"])
REPORT_DAYS_MAX = 366


def gettext_for(request: Request, language: str) -> actions.Gettext:
    catalogs: Catalogs = request.app.state.catalogs
    return catalogs.get(language).gettext


def conversation_read(request: Request, conversation: AssistantConversation) -> ConversationRead:
    handed = conversation.handed_off_contact_id
    return ConversationRead(
        id=conversation.public_id,
        channel=conversation.channel,
        language=conversation.language,
        greeting=gettext_for(request, conversation.language)(actions.GREETING),
        turns=[TurnRead(text=t.text, reply=t.reply, intent=t.intent) for t in conversation.turns],
        handed_off=None if handed is None else reference(handed),
    )


@router.post("/conversations", status_code=201, response_model=ConversationRead, summary="Start")
def start_conversation(
    request: Request, session: DbSession, payload: ConversationCreate
) -> ConversationRead:
    """A new conversation; keep its ``id`` for the messages. The greeting is in the answer."""
    return conversation_read(request, actions.start(session, payload))


@router.get("/conversations/{conversation_id}", response_model=ConversationRead)
def read_conversation(
    request: Request, session: DbSession, conversation_id: str
) -> ConversationRead:
    return conversation_read(request, service.conversation_by_public_id(session, conversation_id))


@router.post("/conversations/{conversation_id}/messages", response_model=Reply, summary="Ask")
def post_message(
    request: Request, session: DbSession, conversation_id: str, payload: MessageCreate
) -> Reply:
    """The assistant's answer: from a data lookup, an article, or a hand-off to an agent."""
    conversation = service.conversation_by_public_id(session, conversation_id)
    gettext = gettext_for(request, conversation.language)
    return actions.answer(session, conversation, payload.text, gettext)


class ReportRowRead(BaseModel):
    day: str
    intent: str
    turns: int
    resolved: int
    handed_off_after: int


@router.get("/report", response_model=list[ReportRowRead], summary="What it resolved")
def assistant_report(
    user: CurrentUser,
    session: DbSession,
    days: Annotated[int, Query(ge=1, le=REPORT_DAYS_MAX)] = 30,
) -> list[ReportRowRead]:
    """Turns per UTC day and intent, how many were resolved, and hand-offs after each intent."""
    require(can_read_wallboard, user)
    end = utcnow()
    rows = service.report(session, end - timedelta(days=days), end, service.UTC)
    return [
        ReportRowRead(
            day=row.day.isoformat(),
            intent=row.intent,
            turns=row.turns,
            resolved=row.resolved,
            handed_off_after=row.handed_off_after,
        )
        for row in rows
    ]
