"""State changes: filing and deciding day-off requests, starting and publishing runs.

Each action checks the role, changes rows, stages its audit entry and commits.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from frontline.audit.actions import add_audit_entry
from frontline.auth.access import (
    can_decide_time_off,
    can_request_time_off,
    can_schedule,
    require,
)
from frontline.auth.models import User
from frontline.core.errors import Conflict, InvalidInput, NotFound
from frontline.people.models import Agent
from frontline.schedules import service
from frontline.schedules.models import RequestStatus, RunStatus, ScheduleRun, TimeOffRequest
from frontline.schedules.schemas import ScheduleRunCreate, TimeOffCreate, TimeOffDecision

NO_AGENT_RECORD = "Your account has no agent record; ask an administrator to link one"
DAY_IN_PAST = "The day has passed; ask for today or a later day"
ALREADY_ASKED = "You have already asked for this day"
ALREADY_DECIDED = "This request has already been decided"
DECLINE_NEEDS_REASON = "Say why the request is declined"
START_NOT_MONDAY = "Schedules start on a Monday"
RUN_IN_PROGRESS = "A scheduling run is in progress; wait for it to finish"
NOT_PUBLISHABLE = "Only a finished run whose roster passed every check can be published"


def require_agent(session: Session, user: User) -> Agent:
    """The caller's own agent record; 409 for an account without one."""
    agent = service.agent_of(session, user)
    if agent is None:
        raise Conflict(NO_AGENT_RECORD)
    return agent


def file_time_off(
    session: Session, user: User, payload: TimeOffCreate, now: datetime
) -> TimeOffRequest:
    """A new request for a day off; late when filed after its week's deadline."""
    require(can_request_time_off, user)
    agent = require_agent(session, user)
    today = now.astimezone(ZoneInfo(agent.site.time_zone)).date()
    if payload.day < today:
        raise InvalidInput(DAY_IN_PAST, field="day")
    if service.open_request_for_day(session, agent, payload.day) is not None:
        raise InvalidInput(ALREADY_ASKED, field="day")
    request = TimeOffRequest(
        agent_id=agent.id,
        day=payload.day,
        reason=payload.reason,
        filed_at=now,
        late=service.is_late(payload.day, today),
    )
    session.add(request)
    session.flush()
    add_audit_entry(
        session,
        user,
        "time_off.request",
        "time_off_requests",
        request.id,
        details={"day": payload.day.isoformat(), "late": request.late},
    )
    session.commit()
    return request


def decide_time_off(
    session: Session,
    user: User,
    request_id: int,
    payload: TimeOffDecision,
    now: datetime,
    *,
    approve: bool,
) -> TimeOffRequest:
    require(can_decide_time_off, user)
    request = session.get(TimeOffRequest, request_id)
    if request is None:
        raise NotFound("No such time-off request")
    if request.status is not RequestStatus.REQUESTED:
        raise Conflict(ALREADY_DECIDED)
    if not approve and not payload.reason:
        raise InvalidInput(DECLINE_NEEDS_REASON, field="reason")
    request.status = RequestStatus.APPROVED if approve else RequestStatus.DECLINED
    request.decided_by_id = user.id
    request.decided_at = now
    request.decision_reason = payload.reason
    add_audit_entry(
        session, user, f"time_off.{request.status.value}", "time_off_requests", request.id
    )
    session.commit()
    return request


def start_run(
    session: Session,
    user: User,
    payload: ScheduleRunCreate,
    now: datetime,
    *,
    default_time_limit_seconds: float,
) -> ScheduleRun:
    """A queued run; the caller hands its id to the runner."""
    require(can_schedule, user)
    if payload.start.weekday() != 0:
        raise InvalidInput(START_NOT_MONDAY, field="start")
    if service.active_run(session, now) is not None:
        raise Conflict(RUN_IN_PROGRESS)
    run = ScheduleRun(
        started_by_id=user.id,
        start=payload.start,
        weeks=payload.weeks,
        calls_per_day=payload.calls_per_day,
        time_limit_seconds=payload.time_limit_seconds or default_time_limit_seconds,
        created_at=now,
    )
    session.add(run)
    session.flush()
    add_audit_entry(
        session,
        user,
        "schedule.run",
        "schedule_runs",
        run.id,
        details={"start": payload.start.isoformat(), "weeks": payload.weeks},
    )
    session.commit()
    return run


def get_run(session: Session, user: User, run_id: int) -> ScheduleRun:
    require(can_schedule, user)
    run = session.get(ScheduleRun, run_id)
    if run is None:
        raise NotFound("No such scheduling run")
    return run


def publish_run(session: Session, user: User, run_id: int, now: datetime) -> ScheduleRun:
    """Agents see the run's shifts from now on (a later publication overrides it)."""
    run = get_run(session, user, run_id)
    if not run.publishable:
        raise Conflict(NOT_PUBLISHABLE)
    run.published_at = now
    add_audit_entry(session, user, "schedule.publish", "schedule_runs", run.id)
    session.commit()
    return run


def is_finished(run: ScheduleRun) -> bool:
    return run.status in {RunStatus.DONE, RunStatus.FAILED}
