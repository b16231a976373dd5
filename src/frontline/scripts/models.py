"""Call scripts and the greeting each contact was given."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from frontline.core.columns import Deactivatable, Timestamped
from frontline.core.db import Base


class CallScript(Timestamped, Deactivatable, Base):
    """A queue's (or a campaign's) script; ``body`` is its YAML or JSON text (``script.py``)."""

    __tablename__ = "call_scripts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    queue_id: Mapped[int | None] = mapped_column(ForeignKey("queues.id"), unique=True)
    # Outbound campaigns have no table yet; their scripts are found by name meanwhile.
    campaign: Mapped[str | None] = mapped_column(String(200), unique=True)
    body: Mapped[str] = mapped_column(Text)


class ContactGreeting(Base):
    """Which greeting variant a contact was opened with, so the caller's next one differs."""

    __tablename__ = "contact_greetings"
    __table_args__ = (
        Index("ix_contact_greetings_customer_at", "customer_id", "at"),
        Index("ix_contact_greetings_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), unique=True)
    script_id: Mapped[int] = mapped_column(ForeignKey("call_scripts.id"))
    variant: Mapped[int]  # 0-based index into the script's greetings
    # Who the caller was, kept here so the previous greeting is one indexed lookup away.
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    address: Mapped[str] = mapped_column(String(254), default="")
    at: Mapped[datetime]
