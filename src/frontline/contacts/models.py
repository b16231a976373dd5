"""Contacts: every call, e-mail, chat, web request and fax, with its steps and wrap-up."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontline.core.columns import Deactivatable, Timestamped, enum_column
from frontline.core.db import Base
from frontline.org.models import Channel, Product, Queue


class Direction(StrEnum):
    INBOUND = "in"
    OUTBOUND = "out"


class ContactStatus(StrEnum):
    """Where a contact is; ``waiting`` to ``wrap_up`` are the router's business."""

    WAITING = "waiting"
    OFFERED = "offered"
    ACTIVE = "active"
    WRAP_UP = "wrap_up"
    DONE = "done"
    ABANDONED = "abandoned"


OPEN_STATUSES = (
    ContactStatus.WAITING,
    ContactStatus.OFFERED,
    ContactStatus.ACTIVE,
    ContactStatus.WRAP_UP,
)


class Outcome(StrEnum):
    RESOLVED = "resolved"
    ESCALATED = "escalated"
    CALLBACK = "callback"
    ORDER_TAKEN = "order_taken"
    COMPLAINT = "complaint"


class Contact(Timestamped, Base):
    __tablename__ = "contacts"
    __table_args__ = (
        Index("ix_contacts_customer_arrived", "customer_id", "arrived_at"),
        Index("ix_contacts_queue_arrived", "queue_id", "arrived_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction), default=Direction.INBOUND)
    status: Mapped[ContactStatus] = mapped_column(enum_column(ContactStatus), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), index=True)
    queue_id: Mapped[int] = mapped_column(ForeignKey("queues.id"))
    # The agent handling it now, or who handled it last (the one who wraps it up).
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), index=True)
    # Who or what the customer is on this channel: a phone in E.164, an e-mail address.
    address: Mapped[str] = mapped_column(String(254), default="")
    subject: Mapped[str] = mapped_column(String(500), default="")
    language: Mapped[str] = mapped_column(String(8), default="")
    priority: Mapped[float] = mapped_column(default=0.0)
    # A caller who left a number keeps their place; the agent is offered a call back.
    callback_number: Mapped[str | None] = mapped_column(String(16))

    arrived_at: Mapped[datetime]
    queued_at: Mapped[datetime | None]
    offered_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    abandoned_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    wrap_up_ended_at: Mapped[datetime | None]

    reason_id: Mapped[int | None] = mapped_column(ForeignKey("wrap_up_reasons.id"))
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome))
    notes: Mapped[str] = mapped_column(String(4000), default="")
    wrapped_up_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The knowledge-base article the agent said solved it, linked at wrap-up.
    solved_by_article_id: Mapped[int | None] = mapped_column(
        ForeignKey("kb_articles.id"), index=True
    )

    # The router's own view (a serialised ``ContactSnapshot``) while the engine holds the
    # contact; ``None`` before it reaches the router and after it leaves.
    routing_state: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Original arrival order: restarts re-queue waiting contacts by it.
    route_seq: Mapped[int | None]

    queue: Mapped[Queue] = relationship()
    product: Mapped[Product | None] = relationship()
    reason: Mapped[WrapUpReason | None] = relationship()
    events: Mapped[list[ContactEvent]] = relationship(
        back_populates="contact", order_by="ContactEvent.id", cascade="all, delete-orphan"
    )


class ContactEvent(Base):
    """One step in a contact's history; the router writes one per decision."""

    __tablename__ = "contact_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(32))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    queue_id: Mapped[int | None] = mapped_column(ForeignKey("queues.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    contact: Mapped[Contact] = relationship(back_populates="events")


class WrapUpTopic(Timestamped, Deactivatable, Base):
    """The first level of the reason catalogue, per product."""

    __tablename__ = "wrap_up_topics"
    __table_args__ = (UniqueConstraint("product_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    product: Mapped[Product] = relationship()


class WrapUpReason(Timestamped, Deactivatable, Base):
    __tablename__ = "wrap_up_reasons"
    __table_args__ = (UniqueConstraint("topic_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("wrap_up_topics.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    topic: Mapped[WrapUpTopic] = relationship()
