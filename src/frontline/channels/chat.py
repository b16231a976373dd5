"""The web chat: a customer's chat becomes a contact of channel ``chat``; its messages.

Every message is committed before its sender is told so (``ack``), numbered by
``ChatSession.last_seq`` in commit order and stored once per client id, which is what
lets a widget that lost its connection resend what was not acknowledged and ask for
what it missed (``web/chat_ws.py`` speaks the protocol; ``INTERFACES.md`` describes it).
Functions here that change anything commit; the socket code only carries frames.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

import structlog
from pydantic import BaseModel, EmailStr, Field
from sqlalchemy import Select, Table, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontline.auth.access import can_handle_contacts, can_supervise, require
from frontline.auth.models import User
from frontline.channels import mail_out
from frontline.channels.mail_in import refusal
from frontline.channels.mail_parse import real_type
from frontline.channels.models import ChatMessage, ChatSession
from frontline.contacts.actions import add_contact
from frontline.contacts.models import OPEN_STATUSES, Contact, ContactStatus
from frontline.contacts.schemas import ContactCreate
from frontline.contacts.service import recent_wait_estimate
from frontline.core.clock import utcnow
from frontline.core.errors import Conflict, InvalidInput, NotFound
from frontline.core.fields import Id, Name
from frontline.core.settings import Settings
from frontline.org.models import Channel, Product, Queue, Skill
from frontline.people.models import Agent
from frontline.people.service import agent_id_of
from frontline.routing.service import CommandKind, submit

log = structlog.get_logger()

MAX_TEXT = 4000
MAX_CLIENT_ID = 64
CUSTOMER, AGENT, ASSISTANT, SYSTEM = "customer", "agent", "assistant", "system"


class ChatStart(BaseModel):
    """The widget's pre-chat form."""

    name: Name
    product_id: Id | None = None
    queue: str = Field(default="", max_length=32, description="A chat queue's code")
    question: str = Field(min_length=1, max_length=MAX_TEXT)
    id: str = Field(min_length=1, max_length=MAX_CLIENT_ID, description="The question's id")


class TranscriptRequest(BaseModel):
    email: EmailStr


# The seam for an automatic assistant: called with each customer message of a chat that
# waits in line with no agent offered it, after the message was acknowledged and
# delivered; text it returns is sent to the customer as the assistant's. Set
# ``app.state.chat_assistant`` to another function to plug one in.
Assistant = Callable[[Session, ChatSession, ChatMessage], str | None]


def no_assistant(session: Session, chat: ChatSession, message: ChatMessage) -> str | None:
    return None


def chat_products(session: Session) -> list[Product]:
    """Products a customer may choose: those with an active chat queue."""
    return list(
        session.scalars(
            select(Product)
            .where(
                Product.active.is_(True),
                Product.id.in_(
                    select(Skill.product_id)
                    .join(Queue, Queue.skill_id == Skill.id)
                    .where(Queue.active.is_(True), Skill.channel == Channel.CHAT)
                ),
            )
            .order_by(Product.name)
        )
    )


def _queue_for(session: Session, start: ChatStart) -> Queue:
    query = (
        select(Queue)
        .join(Skill, Skill.id == Queue.skill_id)
        .where(Queue.active.is_(True), Skill.channel == Channel.CHAT)
        .order_by(Queue.id)
    )
    if start.queue:
        queue = session.scalars(query.where(Queue.code == start.queue.strip().upper())).first()
        if queue is None:
            raise InvalidInput(f"No chat queue {start.queue}", field="queue")
        if start.product_id is None or queue.skill.product_id == start.product_id:
            return queue
    if start.product_id is not None:
        queue = session.scalars(query.where(Skill.product_id == start.product_id)).first()
        if queue is not None:
            return queue
        raise InvalidInput(f"No product with id {start.product_id} takes chats", field="product_id")
    raise InvalidInput("Choose a product", field="product_id")


def start(
    session: Session, payload: ChatStart, *, client_address: str
) -> tuple[ChatSession, ChatMessage, int]:
    """A new chat, its contact queued and the question as its first message; committed."""
    queue = _queue_for(session, payload)
    product = queue.skill.product
    now = utcnow()
    contact, command = add_contact(
        session,
        ContactCreate(
            channel=Channel.CHAT,
            queue_id=queue.id,
            subject=f"{payload.name}: {payload.question}"[:500],
        ),
        at=now,
    )
    chat = ChatSession(
        token=secrets.token_urlsafe(24),
        contact_id=contact.id,
        started_at=now,
        client_address=client_address[:64],
        name=payload.name,
        product_id=product.id,
        question=payload.question,
        last_seq=1,
    )
    session.add(chat)
    session.flush()
    first = ChatMessage(
        chat_id=chat.id,
        seq=1,
        client_id=payload.id,
        author=CUSTOMER,
        sent_at=now,
        text=payload.question,
    )
    session.add(first)
    session.commit()
    log.info("chat.started", contact_id=contact.id)
    return chat, first, command.id


def _with_contacts() -> Select[ChatSession, Contact]:
    return select(ChatSession, Contact).join(Contact, Contact.id == ChatSession.contact_id)


def with_contact(session: Session, chat_id: int) -> ChatSession:
    """A chat and its contact in one query (``chat_contact`` then reads no more)."""
    chat, contact = session.execute(_with_contacts().where(ChatSession.id == chat_id)).one()
    hold(session, contact)
    return chat


def hold(session: Session, *objects: object) -> None:
    """Keep ``objects`` for the session's life: its identity map holds them weakly, and
    one nobody refers to is collected, so that ``session.get`` would read it again."""
    session.info.setdefault("held", []).extend(objects)


def by_token(session: Session, token: object) -> ChatSession:
    chat = None
    if isinstance(token, str) and 0 < len(token) <= MAX_CLIENT_ID:
        chat = session.scalars(select(ChatSession).where(ChatSession.token == token)).first()
    if chat is None:
        raise NotFound("No such chat", field="chat")
    return chat


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def client_id_of(value: object) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= MAX_CLIENT_ID:
        raise InvalidInput(f"A message needs an id of 1 to {MAX_CLIENT_ID} characters", field="id")
    return value


def text_of(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("The message is empty", field="text")
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"A message is at most {MAX_TEXT} characters", field="text")
    return value


def upload_of(name: object, encoded: object, settings: Settings) -> Upload:
    """A file as the widget sends it (base64), checked by size before it is decoded."""
    limit = settings.chat_max_file_bytes
    if not isinstance(encoded, str) or not encoded:
        raise InvalidInput("The file is empty", field="file")
    # Four base64 characters carry three bytes: refuse a file too large unread.
    if len(encoded) * 3 // 4 > limit + 2:
        raise InvalidInput(f"A file is at most {limit} bytes", field="file")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput("The file is not base64", field="file") from exc
    filename = name.strip()[:255] if isinstance(name, str) else ""
    return Upload(filename or "file", data)


def post(
    session: Session,
    chat: ChatSession,
    *,
    client_id: str,
    author: str,
    text: str = "",
    agent_id: int | None = None,
    upload: Upload | None = None,
    settings: Settings | None = None,
) -> tuple[ChatMessage, bool]:
    """Store a message once per client id; ``(message, False)`` when it was stored before.

    Committed when this returns: only then may the sender be told it arrived. A message
    seen before is found by the unique client id when the insert fails, not looked up
    first: resends are rare, and every message would pay for the look-up.
    """
    if chat_contact(session, chat).status not in OPEN_STATUSES:
        earlier = _by_client_id(session, chat.id, client_id)
        if earlier is not None:
            return earlier, False  # sent before the chat ended, its ack lost
        raise Conflict("The chat has ended", field="chat")
    message = ChatMessage(
        chat_id=chat.id,
        client_id=client_id,
        author=author,
        agent_id=agent_id,
        sent_at=utcnow(),
        text=text,
    )
    if upload is not None and settings is not None:
        content_type = real_type("application/octet-stream", upload.data)
        refused = refusal(len(upload.data), content_type, settings.chat_max_file_bytes)
        if refused == "attachment_too_large":
            raise InvalidInput(
                f"A file is at most {settings.chat_max_file_bytes} bytes", field="file"
            )
        if refused is not None:
            raise InvalidInput(f"Files of type {content_type} are not accepted", field="file")
        message.filename, message.content_type = upload.filename, content_type
        message.size_bytes, message.data = len(upload.data), upload.data
    message.seq = _next_seq(session, chat.id)
    session.add(message)
    try:
        session.commit()
    except IntegrityError:
        # Stored before (a resend), or the same message on two connections at once.
        session.rollback()
        stored = _by_client_id(session, chat.id, client_id)
        if stored is None:
            raise
        return stored, False
    return message, True


@dataclass(frozen=True)
class Draft:
    """A text message to store, already checked (``client_id_of``, ``text_of``)."""

    chat_id: int
    client_id: str
    author: str
    text: str
    agent_id: int | None = None


def post_together(session: Session, drafts: Sequence[Draft]) -> list[ChatMessage] | None:
    """Store text messages of several chats in one transaction and one commit, each chat's
    numbered in the order given; ``None`` (nothing stored) when one of them cannot be
    stored this way: a chat that ended, or a client id stored before. The caller then
    stores them one at a time with ``post``, which tells those cases apart.

    One commit for many messages is what lets a busy server keep up: on SQLite a commit
    holds the only write lock, and on PostgreSQL it waits for the log to be written.
    """
    chat_ids = sorted({draft.chat_id for draft in drafts})
    rows = session.execute(_with_contacts().where(ChatSession.id.in_(chat_ids))).all()
    hold(session, *(chat for chat, _ in rows), *(contact for _, contact in rows))
    if len(rows) != len(chat_ids) or any(c.status not in OPEN_STATUSES for _, c in rows):
        session.rollback()
        return None
    counts = Counter(draft.chat_id for draft in drafts)
    next_seq = {
        chat_id: last - counts[chat_id] + 1 for chat_id, last in _take_seqs(session, counts).items()
    }
    now = utcnow()
    messages = []
    for draft in drafts:
        messages.append(
            ChatMessage(
                chat_id=draft.chat_id,
                seq=next_seq[draft.chat_id],
                client_id=draft.client_id,
                author=draft.author,
                agent_id=draft.agent_id,
                sent_at=now,
                text=draft.text,
            )
        )
        next_seq[draft.chat_id] += 1
    session.add_all(messages)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return None
    return messages


def _by_client_id(session: Session, chat_id: int, client_id: str) -> ChatMessage | None:
    return session.scalars(
        select(ChatMessage).where(
            ChatMessage.chat_id == chat_id, ChatMessage.client_id == client_id
        )
    ).first()


def _next_seq(session: Session, chat_id: int) -> int:
    return _take_seqs(session, {chat_id: 1})[chat_id]


def _take_seqs(session: Session, counts: Mapping[int, int]) -> dict[int, int]:
    """Each chat's counter moved on by its count, in one statement; the last number taken
    of each. A plain table statement: the ORM's bookkeeping of a bulk update costs more
    than the update, and the chats' ``last_seq`` in the session is not read afterwards."""
    table = cast(Table, ChatSession.__table__)
    step = case(counts, value=table.c.id, else_=0)
    # The UPDATE holds the chats' rows until commit: numbers follow commit order.
    rows = session.execute(
        update(table)
        .where(table.c.id.in_(list(counts)))
        .values(last_seq=table.c.last_seq + step)
        .returning(table.c.id, table.c.last_seq)
    )
    return {int(chat_id): int(last) for chat_id, last in rows}


def since(session: Session, chat_id: int, after_seq: int) -> list[ChatMessage]:
    return list(
        session.scalars(
            select(ChatMessage)
            .where(ChatMessage.chat_id == chat_id, ChatMessage.seq > after_seq)
            .order_by(ChatMessage.seq)
        )
    )


def chat_contact(session: Session, chat: ChatSession) -> Contact:
    contact = session.get(Contact, chat.contact_id)
    assert contact is not None  # a foreign key
    return contact


@dataclass(frozen=True)
class Status:
    status: str
    position: int | None
    wait_seconds: float | None
    agent: str


def status_of(session: Session, chat: ChatSession) -> Status:
    """Where the chat is: its place in line and the expected wait, or who answers it."""
    contact = chat_contact(session, chat)
    if contact.status in {ContactStatus.WAITING, ContactStatus.OFFERED}:
        ahead = session.scalar(
            select(func.count())
            .select_from(Contact)
            .where(
                Contact.queue_id == contact.queue_id,
                Contact.status == ContactStatus.WAITING,
                Contact.arrived_at < contact.arrived_at,
            )
        )
        position = int(ahead or 0) + 1
        estimate = recent_wait_estimate(session, contact.queue)
        wait = None
        if estimate.agents_serving:
            # The wait estimate's own rule (EWT = n x AHT / N) for the n in front of us.
            wait = position * estimate.average_handle_seconds / estimate.agents_serving
        return Status("waiting", position, wait, "")
    agent = session.get(Agent, contact.agent_id) if contact.agent_id is not None else None
    open_ = contact.status is ContactStatus.ACTIVE
    return Status("active" if open_ else "ended", None, None, agent.full_name if agent else "")


@dataclass(frozen=True)
class Lookout:
    """A chat as the shared poll sees it: its last number and its contact's state."""

    last_seq: int
    state: tuple[ContactStatus, int | None]  # the contact's status and agent
    status: Status | None  # only when the state changed or the chat is waiting


# Ids per query: SQLite of old took at most 999 parameters.
LOOKOUT_BATCH = 500


def look_at(
    session: Session, chat_ids: Sequence[int], known: Mapping[int, tuple[ContactStatus, int | None]]
) -> dict[int, Lookout]:
    """Every chat in ``chat_ids`` in one query per batch; the full status (a few queries)
    only of those whose state differs from ``known`` or that wait in line."""
    seen: dict[int, Lookout] = {}
    for first in range(0, len(chat_ids), LOOKOUT_BATCH):
        rows = session.execute(
            select(ChatSession.id, ChatSession.last_seq, Contact.status, Contact.agent_id)
            .join(Contact, Contact.id == ChatSession.contact_id)
            .where(ChatSession.id.in_(chat_ids[first : first + LOOKOUT_BATCH]))
        )
        for chat_id, last_seq, contact_status, agent_id in rows:
            state = (contact_status, agent_id)
            status = None
            waiting = contact_status in {ContactStatus.WAITING, ContactStatus.OFFERED}
            if waiting or known.get(chat_id) != state:
                conversation = session.get(ChatSession, chat_id)
                assert conversation is not None
                status = status_of(session, conversation)
            seen[chat_id] = Lookout(last_seq, state, status)
    return seen


def end_by_customer(session: Session, chat: ChatSession) -> int | None:
    """The customer closes the chat: the contact ends (abandoned if nobody answered yet)."""
    contact = chat_contact(session, chat)
    if contact.status not in {ContactStatus.WAITING, ContactStatus.OFFERED, ContactStatus.ACTIVE}:
        return None
    command = submit(session, CommandKind.END, contact_id=contact.id)
    session.commit()
    return command.id


def agent_chat(session: Session, user: User, contact_id: int) -> tuple[ChatSession, int | None]:
    """The chat of a contact in the user's hands (any, for a supervisor) and their agent id."""
    require(can_handle_contacts, user)
    chat = session.scalars(select(ChatSession).where(ChatSession.contact_id == contact_id)).first()
    agent_id = agent_id_of(session, user.id)
    if chat is None:
        raise NotFound(f"No chat for contact {contact_id}", field="contact_id")
    contact = chat_contact(session, chat)
    if not can_supervise(user) and (agent_id is None or contact.agent_id != agent_id):
        raise NotFound(f"No chat for contact {contact_id} in your hands", field="contact_id")
    return chat, agent_id


def transcript_text(session: Session, chat: ChatSession) -> str:
    lines = [f"{mail_out.reference(chat.contact_id)}"]
    for message in since(session, chat.id, 0):
        who = chat.name if message.author == CUSTOMER else message.author
        if message.author == AGENT and message.agent_id is not None:
            agent = session.get(Agent, message.agent_id)
            who = agent.full_name if agent else who
        body = message.text or f"[{message.filename}, {message.size_bytes} B]"
        lines.append(f"[{_clock(message.sent_at)}] {who}: {body}")
    return "\n".join(lines) + "\n"


def _clock(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


def request_transcript(
    session: Session, chat: ChatSession, email: object, settings: Settings
) -> None:
    """The transcript by e-mail, through the outbox (sent exactly once, retried)."""
    address = TranscriptRequest.model_validate({"email": email}).email
    contact = chat_contact(session, chat)
    mail_out.queue_transcript(session, contact, address, transcript_text(session, chat), settings)
    session.commit()
