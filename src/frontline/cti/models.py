"""Telephony integrations: PBXs that report calls as signed events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontline.core.columns import Deactivatable, Timestamped
from frontline.core.db import Base


class CtiIntegration(Timestamped, Deactivatable, Base):
    __tablename__ = "cti_integrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Kept in clear: verifying an HMAC needs the key itself, not a digest of it.
    secret: Mapped[str] = mapped_column(String(128))


class DialPlanEntry(Timestamped, Deactivatable, Base):
    """Which queue a dialled number and IVR choice lead to (an empty choice: any)."""

    __tablename__ = "dial_plan"
    __table_args__ = (UniqueConstraint("dialled", "ivr_choice"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dialled: Mapped[str] = mapped_column(String(32))
    ivr_choice: Mapped[str] = mapped_column(String(32), default="")
    queue_id: Mapped[int] = mapped_column(ForeignKey("queues.id"), index=True)


class CtiEvent(Base):
    """Every event received, once: a repeat by ``event_id`` returns the first answer."""

    __tablename__ = "cti_events"
    __table_args__ = (UniqueConstraint("integration_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    integration_id: Mapped[int] = mapped_column(ForeignKey("cti_integrations.id"))
    event_id: Mapped[str] = mapped_column(String(128))
    call_id: Mapped[str] = mapped_column(String(128), index=True)
    type: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]
    received_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # False while it waits for an earlier event of its call (events may come out of order).
    applied: Mapped[bool] = mapped_column(default=False)
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class CtiCall(Base):
    """A PBX's call id and the contact it became."""

    __tablename__ = "cti_calls"
    __table_args__ = (UniqueConstraint("integration_id", "call_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    integration_id: Mapped[int] = mapped_column(ForeignKey("cti_integrations.id"))
    call_id: Mapped[str] = mapped_column(String(128))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), unique=True)
