"""API shapes of day-off requests, scheduling runs and published shifts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from frontline.core.schemas import Input
from frontline.schedules.models import RequestStatus, RunStatus, ShiftKind

Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
MAX_WEEKS = 8


class TimeOffCreate(Input):
    day: date
    reason: Reason = ""


class TimeOffDecision(Input):
    reason: Reason = ""


class TimeOffRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    agent_id: int
    day: date
    reason: str
    filed_at: datetime
    late: bool
    status: RequestStatus
    decided_by_id: int | None
    decided_at: datetime | None
    decision_reason: str


class ScheduleRunCreate(Input):
    start: date = Field(description="The first day: a Monday")
    weeks: int = Field(default=1, ge=1, le=MAX_WEEKS)
    calls_per_day: int = Field(
        default=2000, ge=1, le=1_000_000, description="Calls on the busiest day, whole center"
    )
    time_limit_seconds: float | None = Field(
        default=None,
        gt=0,
        le=600,
        description="The solver's time; the server's default if left out",
    )


class RequestDecisionRead(BaseModel):
    request_id: int
    honoured: bool
    reason: str


class ScheduleRunRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    started_by_id: int
    start: date
    weeks: int
    calls_per_day: int
    time_limit_seconds: float
    status: RunStatus
    phase: str
    under_staffing: int | None
    elapsed_seconds: float | None
    objective: float | None
    bound: float | None
    gap: float | None
    lp_bound: float | None
    failure: str
    request_decisions: list[RequestDecisionRead]
    violations: list[str]
    created_at: datetime
    finished_at: datetime | None
    published_at: datetime | None


class ShiftRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    run_id: int
    agent_id: int
    kind: ShiftKind
    template: str
    starts_at: datetime
    ends_at: datetime
    breaks: list[list[str]]
    off_phone: list[dict[str, str]]


class AdherenceFiguresRead(BaseModel):
    """Seconds of the elapsed part of the day; ratios null without scheduled time."""

    scheduled_seconds: float
    adherent_seconds: float
    worked_seconds: float
    adherence: float | None
    conformance: float | None


class AgentAdherenceRead(AdherenceFiguresRead):
    agent_id: int
    name: str
    team: str
    site: str


class TeamAdherenceRead(AdherenceFiguresRead):
    team: str
    agents: int


class AdherenceExceptionRead(BaseModel):
    agent_id: int
    name: str
    team: str
    scheduled: str  # phone, break or off_phone
    scheduled_name: str  # the off-phone block's kind
    state: str  # a routing state or logged_out
    reason: str | None
    since: datetime
    seconds: float


class AdherenceRead(BaseModel):
    date: date
    threshold_minutes: float
    agents: list[AgentAdherenceRead]
    teams: list[TeamAdherenceRead]
    total: AdherenceFiguresRead
    exceptions: list[AdherenceExceptionRead]
