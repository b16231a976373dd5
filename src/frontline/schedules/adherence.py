"""Adherence of a day from the rows: published shifts and the agents' state spans.

The figures come from the pure core :mod:`frontline.wfm.adherence`; this module only reads
the rows and groups the results by agent and team. An agent's day is the calendar day of
their site (the day the schedule counts a shift for); a night shift is split at midnight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from frontline.core.clock import as_utc
from frontline.people.models import Agent
from frontline.routing.models import AgentStateSpan
from frontline.schedules import service
from frontline.schedules.models import ScheduledShift, ShiftKind
from frontline.wfm.adherence import (
    Activity,
    AdherenceException,
    AdherenceFigures,
    StateSpan,
    adherence,
    exception_at,
    shift_activities,
    total,
)

NO_TEAM = ""


@dataclass(frozen=True)
class AgentAdherence:
    agent_id: int
    name: str
    team: str  # NO_TEAM when the agent has none
    site: str
    figures: AdherenceFigures


@dataclass(frozen=True)
class TeamAdherence:
    team: str
    agents: int
    figures: AdherenceFigures


@dataclass(frozen=True)
class ExceptionRow:
    agent_id: int
    name: str
    team: str
    exception: AdherenceException


@dataclass(frozen=True)
class DayAdherence:
    day: date
    agents: list[AgentAdherence]
    teams: list[TeamAdherence]
    total: AdherenceFigures
    exceptions: list[ExceptionRow]


def activities_of(rows: Sequence[ScheduledShift]) -> list[Activity]:
    """The scheduled activities of an agent's published work shifts."""
    result: list[Activity] = []
    for row in rows:
        if row.kind is not ShiftKind.WORK:
            continue
        result += shift_activities(
            as_utc(row.starts_at),
            as_utc(row.ends_at),
            [(_instant(start), _instant(end)) for start, end in row.breaks],
            [(b["kind"], _instant(b["start"]), _instant(b["end"])) for b in row.off_phone],
        )
    return result


def _instant(text: str) -> datetime:
    return as_utc(datetime.fromisoformat(text))


def _window(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    return as_utc(start), as_utc(end)


def _spans(
    session: Session, agent_ids: list[int], start: datetime, end: datetime
) -> dict[int, list[StateSpan]]:
    rows = session.scalars(
        select(AgentStateSpan)
        .where(
            AgentStateSpan.agent_id.in_(agent_ids),
            AgentStateSpan.started_at < end,
            or_(AgentStateSpan.ended_at.is_(None), AgentStateSpan.ended_at > start),
        )
        .order_by(AgentStateSpan.agent_id, AgentStateSpan.started_at)
    ).all()
    spans: dict[int, list[StateSpan]] = {}
    for row in rows:
        spans.setdefault(row.agent_id, []).append(
            StateSpan(
                as_utc(row.started_at),
                as_utc(row.ended_at) if row.ended_at is not None else None,
                row.state,
                row.reason,
            )
        )
    return spans


def day_adherence(
    session: Session,
    day: date,
    *,
    now: datetime,
    threshold: timedelta,
    team_id: int | None = None,
) -> DayAdherence:
    """Every agent with a published shift touching ``day`` (of ``team_id`` if given): the
    figures so far, per team and in total, and the exceptions at ``now``."""
    # A day's shifts may start the evening before (night shifts) on the site's calendar.
    rows = service.published_roster(session, days=(day - timedelta(days=1), day))
    shifts: dict[int, list[ScheduledShift]] = {}
    agents: dict[int, Agent] = {}
    for row in rows:
        if team_id is not None and row.agent.team_id != team_id:
            continue
        shifts.setdefault(row.agent_id, []).append(row)
        agents[row.agent_id] = row.agent
    windows = {
        agent_id: _window(day, ZoneInfo(agent.site.time_zone)) for agent_id, agent in agents.items()
    }
    if not windows:
        return DayAdherence(day, [], [], total([]), [])
    spans = _spans(
        session,
        list(agents),
        min(start for start, _ in windows.values()),
        max(end for _, end in windows.values()),
    )
    lines: list[AgentAdherence] = []
    exceptions: list[ExceptionRow] = []
    for agent_id, agent in agents.items():
        start, end = windows[agent_id]
        activities = [a for a in activities_of(shifts[agent_id]) if a.end > start and a.start < end]
        if not activities:
            continue
        own = spans.get(agent_id, [])
        team = agent.team.name if agent.team is not None else NO_TEAM
        figures = adherence(activities, own, start=start, end=end, now=now)
        lines.append(AgentAdherence(agent_id, agent.full_name, team, agent.site.code, figures))
        if start <= now < end:
            found = exception_at(activities, own, now=now, threshold=threshold)
            if found is not None:
                exceptions.append(ExceptionRow(agent_id, agent.full_name, team, found))
    lines.sort(key=lambda line: (line.team, line.name))
    exceptions.sort(key=lambda row: row.exception.since)
    return DayAdherence(
        day, lines, _teams(lines), total(line.figures for line in lines), exceptions
    )


def _teams(lines: list[AgentAdherence]) -> list[TeamAdherence]:
    by_team: dict[str, list[AdherenceFigures]] = {}
    for line in lines:
        by_team.setdefault(line.team, []).append(line.figures)
    return [
        TeamAdherence(team, len(figures), total(figures))
        for team, figures in sorted(by_team.items())
    ]
