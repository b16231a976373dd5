"""Tables: day-off requests, scheduling runs and the shifts a run produced."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontline.auth.models import User
from frontline.core.clock import utcnow
from frontline.core.columns import enum_column
from frontline.core.db import Base
from frontline.people.models import Agent


class RequestStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ShiftKind(StrEnum):
    WORK = "work"
    DAY_OFF = "day_off"


class TimeOffRequest(Base):
    """An agent asks for a day without work; a supervisor approves or declines it."""

    __tablename__ = "time_off_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    reason: Mapped[str] = mapped_column(String(500), default="")
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Filed after the deadline of the day's schedule week: honoured only where coverage allows.
    late: Mapped[bool] = mapped_column(default=False)
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus), default=RequestStatus.REQUESTED, index=True
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str] = mapped_column(String(500), default="")

    agent: Mapped[Agent] = relationship()
    decided_by: Mapped[User | None] = relationship()


class ScheduleRun(Base):
    """One solver run over whole weeks from ``start`` (a Monday), and its figures."""

    __tablename__ = "schedule_runs"
    __table_args__ = (CheckConstraint("weeks BETWEEN 1 AND 8", name="weeks"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    started_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    start: Mapped[date]
    weeks: Mapped[int]
    calls_per_day: Mapped[int]
    time_limit_seconds: Mapped[float]
    status: Mapped[RunStatus] = mapped_column(
        enum_column(RunStatus), default=RunStatus.QUEUED, index=True
    )
    # Progress while running: the phase, the best under-staffing so far, seconds spent.
    phase: Mapped[str] = mapped_column(String(64), default="")
    under_staffing: Mapped[int | None]
    elapsed_seconds: Mapped[float | None]
    objective: Mapped[float | None]
    bound: Mapped[float | None]
    gap: Mapped[float | None]
    lp_bound: Mapped[float | None]
    # Why the run failed: the rules no roster can keep, or the input it could not use.
    failure: Mapped[str] = mapped_column(String(2000), default="")
    # [{"request_id", "honoured", "reason"}] and the verifier's findings.
    request_decisions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    violations: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]

    started_by: Mapped[User] = relationship()

    @property
    def publishable(self) -> bool:
        return self.status is RunStatus.DONE and not self.violations and self.published_at is None


class ScheduledShift(Base):
    """A shift (or an honoured day off) of one agent in one run; times in UTC."""

    __tablename__ = "scheduled_shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("schedule_runs.id"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    kind: Mapped[ShiftKind] = mapped_column(enum_column(ShiftKind))
    template: Mapped[str] = mapped_column(String(32), default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    # [[start, end], ...] as ISO 8601 UTC; off-phone blocks also carry their kind.
    breaks: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    off_phone: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)

    agent: Mapped[Agent] = relationship()
