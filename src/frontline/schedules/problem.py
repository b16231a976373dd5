"""From rows to the scheduler's input, and from its roster back to rows.

The requirement curve: the planner gives the calls of the busiest day for the whole
center; they are split between sites by head count, spread over the day by a simple
intraday profile (a night floor, a late-morning and an afternoon peak) and over the
week by the example's weekday load, and sized per half hour with
:func:`frontline.wfm.staffing.required_agents` at 80% of calls answered in 20 s,
240 s a call. Shift templates are the scheduling core's example templates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.core.clock import as_utc
from frontline.org.models import Site
from frontline.people.models import Agent as AgentRow
from frontline.schedules import service
from frontline.schedules.models import ScheduledShift, ScheduleRun, ShiftKind, TimeOffRequest
from frontline.wfm.schedule import (
    Agent,
    DayOffRequest,
    OffPhoneNeed,
    RequestDecision,
    ScheduleInputError,
    ScheduleProblem,
    Shift,
)
from frontline.wfm.schedule.example import WEEKDAY_LOAD, example_templates
from frontline.wfm.staffing import required_agents

INTERVAL_MINUTES = 30
AHT_SECONDS = 240.0
SERVICE_LEVEL, ANSWER_SECONDS = 0.8, 20
# Agents on probation spend two hours a week in training, off the phones.
PROBATION_TRAINING_MINUTES = 120


@dataclass(frozen=True)
class RunInput:
    """The problem, and how its ids and sites map back to rows."""

    problem: ScheduleProblem
    zones: dict[str, ZoneInfo]  # site code -> time zone
    agents: dict[str, AgentRow]  # problem agent id -> row
    requests: dict[str, TimeOffRequest]  # problem request id -> row


def intraday_shape() -> np.ndarray:
    """Share of a day's calls in each half hour, summing to 1."""
    hours = (np.arange(48) + 0.5) / 2
    shape = (
        0.1 + np.exp(-(((hours - 11.0) / 2.5) ** 2)) + 0.8 * np.exp(-(((hours - 16.0) / 2.5) ** 2))
    )
    normalised: np.ndarray = shape / shape.sum()
    return normalised


def requirement(calls_per_day: float, weeks: int) -> list[int]:
    """Agents needed on the phones per half hour for ``calls_per_day`` on the busiest day."""
    days = np.array([WEEKDAY_LOAD[day % 7] for day in range(weeks * 7)])
    volume = (days[:, None] * intraday_shape()[None, :] * calls_per_day).ravel()
    agents = required_agents(
        volume, INTERVAL_MINUTES * 60, AHT_SECONDS, SERVICE_LEVEL, ANSWER_SECONDS
    ).agents
    return [int(value) for value in agents]


def _local_date(moment: datetime, zone: ZoneInfo) -> date:
    return as_utc(moment).astimezone(zone).date()


def _on_probation(row: AgentRow, start: date) -> bool:
    return row.probation_end is not None and row.probation_end >= start


def build_problem(session: Session, run: ScheduleRun) -> RunInput:
    """The active agents hired by the first day, at active sites, and their approved
    requests for the period, with the days they were filed on."""
    last = run.start + timedelta(days=run.weeks * 7 - 1)
    rows = session.scalars(
        select(AgentRow)
        .join(Site, AgentRow.site_id == Site.id)
        .where(AgentRow.active.is_(True), Site.active.is_(True), AgentRow.hire_date <= run.start)
        .order_by(AgentRow.id)
    ).all()
    if not rows:
        raise ScheduleInputError("agents", "no active agent at an active site hired by then")
    by_id = {str(row.id): row for row in rows}
    agents = tuple(_agent(row, by_id, run.start) for row in rows)
    heads: dict[str, int] = {}
    for agent in agents:
        heads[agent.site] = heads.get(agent.site, 0) + 1
    total = sum(heads.values())
    curve = {
        site: requirement(run.calls_per_day * count / total, run.weeks)
        for site, count in heads.items()
    }
    zones = {row.site.code: ZoneInfo(row.site.time_zone) for row in rows}
    requests = service.approved_requests(session, run.start, last, [row.id for row in rows])
    day_offs = tuple(
        DayOffRequest(
            id=str(request.id),
            agent_id=str(request.agent_id),
            day=request.day,
            # Filed on the site's calendar, as the late mark was decided.
            filed_on=min(
                _local_date(request.filed_at, zones[request.agent.site.code]), request.day
            ),
        )
        for request in requests
    )
    problem = ScheduleProblem(
        start=run.start,
        weeks=run.weeks,
        agents=agents,
        templates=example_templates(),
        requirement=curve,
        requests=day_offs,
        interval_minutes=INTERVAL_MINUTES,
    )
    return RunInput(problem, zones, by_id, {str(request.id): request for request in requests})


def _agent(row: AgentRow, by_id: dict[str, AgentRow], start: date) -> Agent:
    probation = _on_probation(row, start)
    mentor = by_id.get(str(row.mentor_id)) if row.mentor_id is not None else None
    # A mentor who left, moved site or is on probation himself cannot mentor this period.
    usable = (
        mentor is not None and mentor.site_id == row.site_id and not _on_probation(mentor, start)
    )
    return Agent(
        id=str(row.id),
        site=row.site.code,
        contract_hours_per_week=row.contract_hours_per_week,
        on_probation=probation,
        mentor_id=str(row.mentor_id) if usable and probation else None,
        off_phone=(OffPhoneNeed("training", PROBATION_TRAINING_MINUTES),) if probation else (),
    )


def _moment(start: date, zone: ZoneInfo, minute: int) -> datetime:
    """Minutes from the first local midnight, on the site's wall clock, as UTC."""
    wall = datetime.combine(start, time()) + timedelta(minutes=minute)
    return wall.replace(tzinfo=zone).astimezone(UTC)


def shift_rows(
    run: ScheduleRun,
    given: RunInput,
    shifts: Sequence[Shift],
    decisions: Sequence[RequestDecision],
) -> list[ScheduledShift]:
    """The run's shifts, and a whole-day row for every honoured day off."""
    problem = given.problem
    sites = {agent.id: agent.site for agent in problem.agents}
    rows: list[ScheduledShift] = []
    for shift in shifts:
        zone = given.zones[sites[shift.agent_id]]

        def at(minute: int, zone: ZoneInfo = zone) -> str:
            return _moment(problem.start, zone, minute).isoformat()

        rows.append(
            ScheduledShift(
                run_id=run.id,
                agent_id=int(shift.agent_id),
                kind=ShiftKind.WORK,
                template=shift.template,
                starts_at=_moment(problem.start, zone, shift.start_minute),
                ends_at=_moment(problem.start, zone, shift.end_minute),
                breaks=[[at(start), at(end)] for start, end in shift.breaks],
                off_phone=[
                    {
                        "kind": block.kind,
                        "start": at(block.start_minute),
                        "end": at(block.end_minute),
                    }
                    for block in shift.off_phone
                ],
            )
        )
    for decision in decisions:
        if not decision.honoured:
            continue
        request = given.requests[decision.request_id]
        zone = given.zones[sites[str(request.agent_id)]]
        offset = (request.day - problem.start).days * 1440
        rows.append(
            ScheduledShift(
                run_id=run.id,
                agent_id=request.agent_id,
                kind=ShiftKind.DAY_OFF,
                starts_at=_moment(problem.start, zone, offset),
                ends_at=_moment(problem.start, zone, offset + 1440),
            )
        )
    return rows
