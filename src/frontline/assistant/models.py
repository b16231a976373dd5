"""Assistant conversations and their turns (what was asked, answered, and about what)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontline.core.db import Base


class AssistantConversation(Base):
    """One customer's session with the assistant, on the web page, a widget or an IVR."""

    __tablename__ = "assistant_conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the customer's side holds: random, so one conversation cannot be guessed from another.
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    channel: Mapped[str] = mapped_column(String(16))  # "web", "widget", "ivr"
    language: Mapped[str] = mapped_column(String(8))
    # The caller's number an IVR passes; the address of the contact a hand-off creates.
    address: Mapped[str] = mapped_column(String(254), default="")
    started_at: Mapped[datetime]
    # Where the dialogue stands: {"awaiting": "station" | "reference" | "verification", ...}.
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    handed_off_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))

    turns: Mapped[list[AssistantTurn]] = relationship(
        back_populates="conversation", order_by="AssistantTurn.id", cascade="all, delete-orphan"
    )


class AssistantTurn(Base):
    """A customer's message and the assistant's answer."""

    __tablename__ = "assistant_turns"
    __table_args__ = (
        Index("ix_assistant_turns_at", "at"),
        Index("ix_assistant_turns_contact_intent_at", "contact_id", "intent", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("assistant_conversations.id"), index=True
    )
    at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text)
    reply: Mapped[str] = mapped_column(Text)
    intent: Mapped[str] = mapped_column(String(32))
    # The intent of the turn before, for a hand-off: where the assistant fell short.
    previous_intent: Mapped[str] = mapped_column(String(32), default="")
    # Answered from an article or a lookup, with nothing left to do by a person.
    resolved: Mapped[bool] = mapped_column(default=False)
    # The request a status question or a verification attempt was about.
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))

    conversation: Mapped[AssistantConversation] = relationship(back_populates="turns")
