"""Queries: whose requests, which runs, which published shifts. Nothing here commits."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from frontline.auth.models import User
from frontline.core.clock import as_utc
from frontline.people.models import Agent
from frontline.schedules.models import (
    RequestStatus,
    RunStatus,
    ScheduledShift,
    ScheduleRun,
    TimeOffRequest,
)
from frontline.wfm.schedule import Rules

# A run that claims to be running this long past its time limit died with its process.
STALE_RUN_GRACE_SECONDS = 600


def agent_of(session: Session, user: User) -> Agent | None:
    """The active agent record linked to ``user``, if any."""
    return session.scalar(select(Agent).where(Agent.user_id == user.id, Agent.active.is_(True)))


def week_start(day: date) -> date:
    """The Monday of ``day``'s week: schedules are built in whole weeks."""
    return day - timedelta(days=day.weekday())


def is_late(day: date, filed_on: date, rules: Rules = Rules()) -> bool:  # noqa: B008 - frozen
    """Filed after the deadline of the day's schedule week (the scheduler's own rule)."""
    return filed_on > rules.request_deadline(week_start(day))


def own_requests(session: Session, agent: Agent) -> Sequence[TimeOffRequest]:
    query = (
        select(TimeOffRequest)
        .where(TimeOffRequest.agent_id == agent.id)
        .order_by(TimeOffRequest.day.desc(), TimeOffRequest.id.desc())
    )
    return session.scalars(query).all()


def requests_by_status(
    session: Session, status: RequestStatus | None = None
) -> Sequence[TimeOffRequest]:
    query = select(TimeOffRequest).order_by(TimeOffRequest.day, TimeOffRequest.id)
    if status is not None:
        query = query.where(TimeOffRequest.status == status)
    return session.scalars(query).all()


def requests_by_ids(session: Session, ids: Sequence[int]) -> dict[int, TimeOffRequest]:
    rows = session.scalars(select(TimeOffRequest).where(TimeOffRequest.id.in_(ids))).all()
    return {row.id: row for row in rows}


def open_request_for_day(session: Session, agent: Agent, day: date) -> TimeOffRequest | None:
    """A request for ``day`` that is pending or approved (a declined one may be re-filed)."""
    return session.scalar(
        select(TimeOffRequest).where(
            TimeOffRequest.agent_id == agent.id,
            TimeOffRequest.day == day,
            TimeOffRequest.status != RequestStatus.DECLINED,
        )
    )


def approved_requests(
    session: Session, first: date, last: date, agent_ids: Sequence[int]
) -> Sequence[TimeOffRequest]:
    query = (
        select(TimeOffRequest)
        .where(
            TimeOffRequest.status == RequestStatus.APPROVED,
            TimeOffRequest.day >= first,
            TimeOffRequest.day <= last,
            TimeOffRequest.agent_id.in_(agent_ids),
        )
        .order_by(TimeOffRequest.id)
    )
    return session.scalars(query).all()


def runs(session: Session, limit: int = 50) -> Sequence[ScheduleRun]:
    return session.scalars(select(ScheduleRun).order_by(ScheduleRun.id.desc()).limit(limit)).all()


def active_run(session: Session, now: datetime) -> ScheduleRun | None:
    """A queued or running run that is not stale, if any (runs go one at a time)."""
    candidates = session.scalars(
        select(ScheduleRun).where(ScheduleRun.status.in_([RunStatus.QUEUED, RunStatus.RUNNING]))
    ).all()
    for run in candidates:
        limit = timedelta(seconds=run.time_limit_seconds + STALE_RUN_GRACE_SECONDS)
        if as_utc(run.created_at) + limit > now:
            return run
    return None


def run_shifts(session: Session, run: ScheduleRun) -> Sequence[ScheduledShift]:
    query = (
        select(ScheduledShift)
        .where(ScheduledShift.run_id == run.id)
        .order_by(ScheduledShift.agent_id, ScheduledShift.starts_at)
    )
    return session.scalars(query).all()


def published_shifts(session: Session, agent: Agent) -> list[ScheduledShift]:
    """The agent's shifts and days off as published (see :func:`published_roster`)."""
    return published_roster(session, [agent.id])


def published_roster(
    session: Session,
    agent_ids: Collection[int] | None = None,
    days: tuple[date, date] | None = None,
) -> list[ScheduledShift]:
    """Shifts and days off as published, of ``agent_ids`` (everyone's if None), of runs
    that cover a day of ``days`` (first, last) if given: where two published runs cover
    the same days, the later publication wins."""
    published = session.scalars(
        select(ScheduleRun)
        .where(ScheduleRun.published_at.is_not(None))
        .order_by(ScheduleRun.published_at.desc(), ScheduleRun.id.desc())
    ).all()
    taken: set[date] = set()
    chosen: list[ScheduledShift] = []
    for run in published:
        run_days = {run.start + timedelta(days=n) for n in range(run.weeks * 7)}
        fresh = run_days - taken
        taken |= run_days
        if not fresh or (
            days is not None
            and (run.start > days[1] or run.start + timedelta(days=run.weeks * 7) <= days[0])
        ):
            continue
        query = (
            select(ScheduledShift)
            .where(ScheduledShift.run_id == run.id)
            .options(selectinload(ScheduledShift.agent).selectinload(Agent.site))
        )
        if agent_ids is not None:
            query = query.where(ScheduledShift.agent_id.in_(list(agent_ids)))
        chosen.extend(row for row in session.scalars(query).all() if _local_day(row) in fresh)
    return sorted(chosen, key=lambda row: (row.agent_id, as_utc(row.starts_at)))


def _local_day(row: ScheduledShift) -> date:
    """The site's calendar day a shift starts on (the day the schedule counts it for)."""
    return as_utc(row.starts_at).astimezone(ZoneInfo(row.agent.site.time_zone)).date()
