"""Mail messages (both directions), their attachments, the outbox, web requests and chats."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontline.contacts.models import Direction
from frontline.core.columns import Deactivatable, Timestamped, enum_column
from frontline.core.db import Base


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"


class MailMessage(Base):
    """One e-mail as received or sent; the raw bytes are kept whatever else fails.

    ``message_id`` is unique: a message delivered twice (a relay retrying after a lost
    250, an IMAP mailbox polled again) is recorded once.
    """

    __tablename__ = "mail_messages"
    __table_args__ = (Index("ix_mail_messages_sender_received", "sender", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[Direction] = mapped_column(enum_column(Direction))
    message_id: Mapped[str] = mapped_column(String(998), unique=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    received_at: Mapped[datetime]
    sender: Mapped[str] = mapped_column(String(254), default="")
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    subject: Mapped[str] = mapped_column(String(998), default="")
    in_reply_to: Mapped[str] = mapped_column(String(998), default="")
    references: Mapped[list[str]] = mapped_column(JSON, default=list)
    text_body: Mapped[str] = mapped_column(Text, default="")
    # Already sanitised: safe to show as HTML.
    html_body: Mapped[str] = mapped_column(Text, default="")
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Why the message was not handled like a customer's mail: "automatic", "list",
    # "bounce", "rate_limited", "unparsed", "duplicate_subject"...
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    raw: Mapped[bytes] = mapped_column(LargeBinary)

    attachments: Mapped[list[MailAttachment]] = relationship(
        back_populates="message", order_by="MailAttachment.id", cascade="all, delete-orphan"
    )


class MailAttachment(Base):
    __tablename__ = "mail_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("mail_messages.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    # What the file's own bytes say it is, not what its name or the sender claimed.
    content_type: Mapped[str] = mapped_column(String(127))
    size_bytes: Mapped[int]
    inline: Mapped[bool] = mapped_column(default=False)
    content_id: Mapped[str] = mapped_column(String(255), default="")
    data: Mapped[bytes] = mapped_column(LargeBinary)
    # A fax's first page as a PNG, rendered when it arrived (``channels.fax``).
    preview_png: Mapped[bytes | None] = mapped_column(LargeBinary)

    message: Mapped[MailMessage] = relationship(back_populates="attachments")

    @property
    def has_preview(self) -> bool:
        return self.preview_png is not None


class OutboxMail(Base):
    """A message to send, built once (its Message-ID fixed) and sent until the relay takes it."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mail_message_id: Mapped[int] = mapped_column(ForeignKey("mail_messages.id"), unique=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    # "reply" from an agent, "acknowledgement" sent automatically.
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(String(1000), default="")

    message: Mapped[MailMessage] = relationship()


class WebRequest(Base):
    """An order or request from the public form, and the contact it became."""

    __tablename__ = "web_requests"
    __table_args__ = (Index("ix_web_requests_client_received", "client_address", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), unique=True)
    received_at: Mapped[datetime]
    client_address: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    postal_address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(16), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    preferred_at: Mapped[datetime | None]
    comment: Mapped[str] = mapped_column(String(4000), default="")


class MailAcknowledgement(Timestamped, Deactivatable, Base):
    """A queue's own acknowledgement text; deactivated, the queue sends none.

    Queues without one send the standard text (``mail_out.DEFAULT_ACKNOWLEDGEMENT``).
    ``{reference}`` and ``{queue}`` in the text are replaced.
    """

    __tablename__ = "mail_acknowledgements"

    id: Mapped[int] = mapped_column(primary_key=True)
    queue_id: Mapped[int] = mapped_column(ForeignKey("queues.id"), unique=True)
    text: Mapped[str] = mapped_column(String(4000))


class MailSignature(Timestamped, Deactivatable, Base):
    """The signature under agents' replies about one product."""

    __tablename__ = "mail_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), unique=True)
    text: Mapped[str] = mapped_column(String(2000))


class ChatSession(Base):
    """A web chat: the widget's pre-chat form and the contact it became.

    ``token`` is the chat's id as the widget knows it: random, so a chat cannot be
    guessed and joined. ``last_seq`` numbers the chat's messages; it is raised by an
    ``UPDATE`` that holds the row until commit, so the numbers are given in commit order
    and a client that saw number n has seen every message before it.
    """

    __tablename__ = "chat_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), unique=True)
    started_at: Mapped[datetime]
    client_address: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(200))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    question: Mapped[str] = mapped_column(String(4000))
    last_seq: Mapped[int] = mapped_column(default=0)

    messages: Mapped[list[ChatMessage]] = relationship(
        back_populates="chat", order_by="ChatMessage.seq", cascade="all, delete-orphan"
    )


class ChatMessage(Base):
    """One line of a chat, a file, or a note of the system; stored before it is acknowledged.

    ``client_id`` is the id the sender's client gave the message: a message resent after
    a dropped connection has the same one and is stored once.
    """

    __tablename__ = "chat_messages"
    __table_args__ = (
        UniqueConstraint("chat_id", "seq", name="uq_chat_messages_chat_id_seq"),
        UniqueConstraint("chat_id", "client_id", name="uq_chat_messages_chat_id_client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chat_sessions.id"), index=True)
    seq: Mapped[int]
    client_id: Mapped[str] = mapped_column(String(64))
    # "customer", "agent", "assistant" or "system".
    author: Mapped[str] = mapped_column(String(16))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    sent_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str] = mapped_column(String(255), default="")
    # What the file's own bytes say it is, as for mail attachments.
    content_type: Mapped[str] = mapped_column(String(127), default="")
    size_bytes: Mapped[int] = mapped_column(default=0)
    data: Mapped[bytes | None] = mapped_column(LargeBinary)

    chat: Mapped[ChatSession] = relationship(back_populates="messages")
