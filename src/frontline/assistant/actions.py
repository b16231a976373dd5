"""The assistant's turns: each message is answered, recorded and committed in one go.

Channel-independent: the public page, a chat widget and an IVR (with a transcript) call
:func:`start` and :func:`answer` through ``views.py``. Replies are in the conversation's
language, translated by the ``gettext`` the caller passes.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import structlog
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.assistant import service
from frontline.assistant.dialogue import Intent, intent_of, reference_in
from frontline.assistant.models import AssistantConversation, AssistantTurn
from frontline.assistant.schemas import (
    ArticleLink,
    ConversationCreate,
    PointRead,
    Reply,
)
from frontline.assistant.service_points import load_points, nearest_points
from frontline.channels.mail_out import reference
from frontline.channels.models import WebRequest
from frontline.contacts.actions import add_contact
from frontline.contacts.models import Contact, ContactEvent, ContactStatus
from frontline.contacts.schemas import ContactCreate
from frontline.core.clock import utcnow
from frontline.customers.schemas import normalise_phone
from frontline.knowledge.markdown import plain_text
from frontline.knowledge.models import KbArticle
from frontline.knowledge.search import SearchScope, search
from frontline.org.models import Channel
from frontline.web.i18n import N_

log = structlog.get_logger()
Gettext = Callable[[str], str]
MAX_TRIES = 3
ARTICLES_SHOWN = 3
EXCERPT_CHARS = 300

GREETING = N_(
    "Hello! I can find the nearest ATM to a metro station, tell the status of your request "
    "by its number (FL-…), and answer questions from our help center. "
    "Type “operator” to talk to a person."
)
AROUND_THE_CLOCK = N_("around the clock")
STATUS_TEXT = {
    ContactStatus.WAITING: N_("Request %(ref)s is received and waiting for an agent."),
    ContactStatus.OFFERED: N_("Request %(ref)s is received and waiting for an agent."),
    ContactStatus.ACTIVE: N_("An agent is working on request %(ref)s right now."),
    ContactStatus.WRAP_UP: N_("Request %(ref)s has been handled."),
    ContactStatus.DONE: N_("Request %(ref)s has been handled."),
    ContactStatus.ABANDONED: N_(
        "Request %(ref)s was closed without an answer; please send it again."
    ),
}


@dataclass
class Answer:
    text: str
    intent: Intent
    resolved: bool = False
    contact_id: int | None = None
    points: list[PointRead] = field(default_factory=list)
    articles: list[ArticleLink] = field(default_factory=list)


def start(
    session: Session, payload: ConversationCreate, *, public_id: str | None = None
) -> AssistantConversation:
    conversation = AssistantConversation(
        public_id=public_id or secrets.token_hex(16),
        channel=payload.channel,
        language=payload.language,
        address=payload.address.strip(),
        started_at=utcnow(),
        state={},
    )
    session.add(conversation)
    session.commit()
    log.info("assistant.started", conversation_id=conversation.id, channel=payload.channel)
    return conversation


def answer(
    session: Session,
    conversation: AssistantConversation,
    text: str,
    gettext: Gettext,
    *,
    waiting_contact_id: int | None = None,
) -> Reply:
    """Answer one message (already stripped and non-empty) and record the turn.

    ``waiting_contact_id`` is the contact the customer already waits in (a chat of the
    widget): a hand-off points there instead of making a new contact.
    """
    now = utcnow()
    awaiting = conversation.state.get("awaiting")
    intent = intent_of(text)
    if conversation.handed_off_contact_id is not None:
        found = Answer(
            gettext(N_("An agent will answer you here shortly (request %(ref)s)."))
            % {"ref": reference(conversation.handed_off_contact_id)},
            Intent.HANDOFF,
        )
    elif intent is Intent.HANDOFF:
        found = _hand_off(
            session, conversation, text, gettext, now, waiting_contact_id=waiting_contact_id
        )
    elif intent is Intent.REQUEST_STATUS or (intent, awaiting) == (Intent.QUESTION, "reference"):
        found = _ask_verification(session, conversation, text, gettext)
    elif intent is Intent.ATM or (intent, awaiting) == (Intent.QUESTION, "station"):
        found = _atm(conversation, text, gettext)
    elif (intent, awaiting) == (Intent.QUESTION, "verification"):
        # Only a message that asks nothing else counts as a try ("ATM at Kurskaya" does not).
        found = _verify(session, conversation, text, gettext, now)
    else:
        found = _question(session, conversation, text, gettext)
    previous = conversation.turns[-1].intent if conversation.turns else ""
    conversation.turns.append(
        AssistantTurn(
            at=now,
            text=text,
            reply=found.text,
            intent=found.intent.value,
            previous_intent=previous,
            resolved=found.resolved,
            contact_id=found.contact_id,
        )
    )
    session.commit()
    log.info("assistant.turn", conversation_id=conversation.id, intent=found.intent.value)
    handed = conversation.handed_off_contact_id
    return Reply(
        conversation_id=conversation.public_id,
        intent=found.intent.value,
        text=found.text,
        resolved=found.resolved,
        points=found.points,
        articles=found.articles,
        handed_off=None if handed is None else reference(handed),
    )


def _atm(conversation: AssistantConversation, text: str, gettext: Gettext) -> Answer:
    english = conversation.language == "en"
    found = nearest_points(load_points(), text)
    if not found:
        conversation.state = {"awaiting": "station"}
        return Answer(gettext(N_("Which metro station are you near?")), Intent.ATM)
    conversation.state = {}
    points = [
        PointRead(
            code=point.code,
            city=point.city_en if english else point.city,
            address=point.address,
            hours=gettext(AROUND_THE_CLOCK) if point.hours == "24/7" else point.hours,
            station=station.name_en if english else station.name,
            walk_minutes=station.walk_minutes,
        )
        for point, station in found
    ]
    lines = [
        gettext(
            N_("%(city)s, metro %(station)s: %(address)s, %(minutes)s min walk, open %(hours)s.")
        )
        % {
            "city": p.city,
            "station": p.station,
            "address": p.address,
            "minutes": p.walk_minutes,
            "hours": p.hours,
        }
        for p in points
    ]
    heading = gettext(N_("The nearest ATM:"))
    return Answer(" ".join([heading, *lines]), Intent.ATM, resolved=True, points=points)


def _ask_verification(
    session: Session, conversation: AssistantConversation, text: str, gettext: Gettext
) -> Answer:
    number = reference_in(text, status_asked=conversation.state.get("awaiting") == "reference")
    if number is None:
        conversation.state = {"awaiting": "reference"}
        return Answer(
            gettext(N_("What is the number of your request? It looks like FL-123.")),
            Intent.REQUEST_STATUS,
        )
    # Known or not, the customer is asked the same: the answer tells nothing about the number.
    known = session.get(Contact, number) is not None
    conversation.state = {"awaiting": "verification", "contact_id": number}
    return Answer(
        gettext(N_("Please give the phone number or e-mail the request %(ref)s was sent with."))
        % {"ref": reference(number)},
        Intent.REQUEST_STATUS,
        contact_id=number if known else None,
    )


def _details_of(session: Session, contact: Contact) -> set[str]:
    """The phones (E.164) and e-mails (lower-cased) a request was filed with."""
    found = {contact.address}
    web = session.scalars(select(WebRequest).where(WebRequest.contact_id == contact.id)).first()
    if web is not None:
        found |= {web.phone, web.email}
    return {_detail_key(value) for value in found if value}


def _detail_key(value: str) -> str:
    value = value.strip()
    if "@" in value:
        return value.lower()
    try:
        return normalise_phone(value)
    except (ValueError, ValidationError):
        return value


def _verify(
    session: Session,
    conversation: AssistantConversation,
    text: str,
    gettext: Gettext,
    now: datetime,
) -> Answer:
    number = int(conversation.state.get("contact_id", 0))
    contact = session.get(Contact, number)
    since = now - service.VERIFICATION_WINDOW
    contact_id = contact.id if contact is not None else None
    failed = service.failed_verifications(session, number, since) if contact_id else 0
    if failed >= MAX_TRIES:
        conversation.state = {}
        return Answer(_refusal(gettext), Intent.VERIFICATION, contact_id=contact_id)
    if contact is not None and _detail_key(text) in _details_of(session, contact):
        conversation.state = {}
        status = gettext(STATUS_TEXT[contact.status]) % {"ref": reference(contact.id)}
        return Answer(status, Intent.VERIFICATION, resolved=True, contact_id=contact_id)
    # Tries in this conversation, or across all of them for a real request (one customer
    # opening new conversations does not get more guesses).
    used = max(int(conversation.state.get("tries", 0)), failed) + 1
    if used >= MAX_TRIES:
        conversation.state = {}
        return Answer(_refusal(gettext), Intent.VERIFICATION, contact_id=contact_id)
    conversation.state = {**conversation.state, "tries": used}
    return Answer(
        gettext(N_("That does not match the request. Tries left: %(left)s."))
        % {"left": MAX_TRIES - used},
        Intent.VERIFICATION,
        contact_id=contact_id,
    )


def _refusal(gettext: Gettext) -> str:
    return gettext(
        N_(
            "Too many wrong answers: I cannot tell the status of this request here. "
            "Type “operator” to talk to a person."
        )
    )


def _question(
    session: Session, conversation: AssistantConversation, text: str, gettext: Gettext
) -> Answer:
    conversation.state = {}
    scope = SearchScope(public_only=True, language=conversation.language)
    hits = search(session, text, scope, limit=ARTICLES_SHOWN) or search(
        session, text, SearchScope(public_only=True), limit=ARTICLES_SHOWN
    )
    if not hits:
        return Answer(
            gettext(N_("I did not find an answer. Try other words, or type “operator”.")),
            Intent.QUESTION,
        )
    links = [ArticleLink(id=h.article_id, title=h.title, url=f"/help/{h.article_id}") for h in hits]
    top = session.get(KbArticle, hits[0].article_id)
    excerpt = _excerpt(top.body) if top is not None else ""
    heading = gettext(N_("From our help center: %(title)s.")) % {"title": hits[0].title}
    return Answer(f"{heading} {excerpt}".strip(), Intent.QUESTION, resolved=True, articles=links)


def _excerpt(markdown: str) -> str:
    text = " ".join(plain_text(markdown).split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


def _hand_off(
    session: Session,
    conversation: AssistantConversation,
    text: str,
    gettext: Gettext,
    now: datetime,
    *,
    waiting_contact_id: int | None = None,
) -> Answer:
    """A chat contact with the transcript on it, queued like any other (``add_contact``),
    or the one the customer already waits in."""
    if waiting_contact_id is not None:
        contact = session.get_one(Contact, waiting_contact_id)
    else:
        queue = service.chat_queue(session, conversation.language)
        if queue is None:
            return Answer(
                gettext(N_("No agent can take a chat now; please call us or send a request.")),
                Intent.HANDOFF,
            )
        first = conversation.turns[0].text if conversation.turns else text
        contact, _ = add_contact(
            session,
            ContactCreate(
                channel=Channel.CHAT,
                queue_id=queue.id,
                address=conversation.address,
                subject=(gettext(N_("Assistant: %(question)s")) % {"question": first})[:500],
                language=conversation.language,
            ),
            at=now,
        )
    lines = [{"customer": t.text, "assistant": t.reply} for t in conversation.turns]
    lines.append({"customer": text, "assistant": ""})
    session.add(
        ContactEvent(
            contact_id=contact.id,
            at=now,
            kind="assistant_transcript",
            queue_id=contact.queue_id,
            detail={"conversation": conversation.public_id, "turns": lines},
        )
    )
    conversation.handed_off_contact_id = contact.id
    conversation.state = {}
    log.info("assistant.handed_off", conversation_id=conversation.id, contact_id=contact.id)
    return Answer(
        gettext(N_("I am passing you to an agent with our conversation (request %(ref)s)."))
        % {"ref": reference(contact.id)},
        Intent.HANDOFF,
        contact_id=contact.id,
    )
