"""The assistant on the web chat widget: it answers while the customer waits for an agent.

A widget's chat is queued as soon as it starts (``frontline.channels.chat``), so the
customer keeps their place in line whatever the assistant does. Until an agent takes the
chat, each customer message also goes to the assistant, and its answer is posted in the
chat for the customer and, later, the agent to read. Asking for a person marks the
conversation handed off to the contact already waiting, with the transcript on it; from
then on the assistant keeps quiet.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.assistant import actions
from frontline.assistant.models import AssistantConversation
from frontline.assistant.schemas import ConversationCreate
from frontline.channels.chat import Assistant
from frontline.channels.models import ChatMessage, ChatSession
from frontline.contacts.models import Contact
from frontline.web.i18n import Catalogs

LANGUAGES = ("ru", "en")


def conversation_id_of(chat: ChatSession) -> str:
    """The conversation's public id, derived from the chat's secret token: one per chat,
    found again without a lookup table, and no easier to guess than the token."""
    return hashlib.sha256(f"chat:{chat.token}".encode()).hexdigest()[:32]


def _conversation(session: Session, chat: ChatSession) -> AssistantConversation:
    public_id = conversation_id_of(chat)
    found = session.scalars(
        select(AssistantConversation).where(AssistantConversation.public_id == public_id)
    ).first()
    if found is not None:
        return found
    language = session.get_one(Contact, chat.contact_id).language
    payload = ConversationCreate(
        channel="widget", language=language if language in LANGUAGES else LANGUAGES[0]
    )
    return actions.start(session, payload, public_id=public_id)


def assistant_in_chat(catalogs: Catalogs) -> Assistant:
    """The chat's assistant seam, answering in each conversation's language."""

    def answer(session: Session, chat: ChatSession, message: ChatMessage) -> str | None:
        text = (message.text or "").strip()
        if not text:
            return None  # a file: nothing to answer
        conversation = _conversation(session, chat)
        if conversation.handed_off_contact_id is not None:
            return None  # the customer asked for a person and waits for one
        gettext = catalogs.get(conversation.language).gettext
        reply = actions.answer(
            session, conversation, text, gettext, waiting_contact_id=chat.contact_id
        )
        return reply.text

    return answer
