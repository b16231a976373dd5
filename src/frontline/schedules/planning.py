"""Rows the planner page reads: contacts per interval, the run to compare with, and the
agents on the phones per interval in it. Nothing here commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.contacts.models import Contact
from frontline.core.clock import as_utc
from frontline.org.models import Queue
from frontline.schedules.adherence import activities_of
from frontline.schedules.models import RunStatus, ScheduledShift, ScheduleRun
from frontline.wfm.planning import scheduled_on_phones


def contact_volumes(
    session: Session, queue_code: str, starts: Sequence[datetime], interval_seconds: int
) -> list[float] | None:
    """Contacts that arrived in each interval in the queue with ``queue_code``; None when
    there were none at all (then the page falls back on the example history)."""
    if not starts:
        return None
    first, end = starts[0], starts[-1] + timedelta(seconds=interval_seconds)
    arrived = session.scalars(
        select(Contact.arrived_at)
        .join(Queue, Contact.queue_id == Queue.id)
        .where(Queue.code == queue_code, Contact.arrived_at >= first, Contact.arrived_at < end)
    ).all()
    if not arrived:
        return None
    counts = [0.0] * len(starts)
    for moment in arrived:
        index = int((as_utc(moment) - first).total_seconds() // interval_seconds)
        counts[index] += 1
    return counts


def finished_runs(session: Session) -> Sequence[ScheduleRun]:
    """Runs with a roster to look at: finished ones, newest first."""
    return session.scalars(
        select(ScheduleRun)
        .where(ScheduleRun.status == RunStatus.DONE)
        .order_by(ScheduleRun.id.desc())
        .limit(50)
    ).all()


def latest_published(session: Session) -> ScheduleRun | None:
    return session.scalar(
        select(ScheduleRun)
        .where(ScheduleRun.published_at.is_not(None))
        .order_by(ScheduleRun.published_at.desc(), ScheduleRun.id.desc())
        .limit(1)
    )


def scheduled_per_interval(
    session: Session, run: ScheduleRun, starts: Sequence[datetime], interval_seconds: int
) -> list[int]:
    """Agents of ``run`` on the phones in each interval (breaks and off-phone work out)."""
    if not starts:
        return []
    first, end = starts[0], starts[-1] + timedelta(seconds=interval_seconds)
    rows = session.scalars(
        select(ScheduledShift).where(
            ScheduledShift.run_id == run.id,
            ScheduledShift.starts_at < end,
            ScheduledShift.ends_at > first,
        )
    ).all()
    by_agent: dict[int, list[ScheduledShift]] = {}
    for row in rows:
        by_agent.setdefault(row.agent_id, []).append(row)
    return scheduled_on_phones(
        (activities_of(shifts) for shifts in by_agent.values()), starts, interval_seconds
    )
