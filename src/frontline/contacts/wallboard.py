"""The wallboard's figures: per queue and overall, now, this quarter hour and today.

A query module: it loads the day's contacts as :class:`frontline.metrics.ContactOutcome`
(UTC epoch seconds) and the agents' state spans as :class:`frontline.metrics.AgentTime`,
and leaves every number to ``frontline.metrics`` (``docs/metrics.md``), so the wall, the
API and the reports cannot disagree. Time is a parameter: the caller passes ``now`` and the
zone whose midnight starts the day; intervals are half-open, ``[start, end)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from frontline import metrics
from frontline.contacts.models import OPEN_STATUSES, Contact, ContactStatus
from frontline.core.clock import as_utc
from frontline.org.models import Queue
from frontline.people.models import Agent, AgentSkill
from frontline.routing.model import AgentState
from frontline.routing.models import AgentPresence, AgentStateSpan

INTERVAL_SECONDS = metrics.DEFAULT_INTERVAL_SECONDS

# Which AgentTime field a state's seconds go to. Being offered a contact (ringing) is
# counted as busy: the agent is held for the contact and cannot take another.
TIME_FIELDS: dict[str, str] = {
    AgentState.READY: "ready_seconds",
    AgentState.NOT_READY: "not_ready_seconds",
    AgentState.OFFERED: "busy_seconds",
    AgentState.BUSY: "busy_seconds",
    AgentState.WRAP_UP: "wrap_up_seconds",
}


@dataclass(frozen=True)
class Period:
    """A half-open stretch of time, ``[start, end)``, in aware UTC."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class QueueFigures:
    """One queue's board (``queue_id`` None: all queues together)."""

    queue_id: int | None
    code: str
    name: str
    service_level_target: float | None
    target_answer_seconds: float | None
    waiting: int
    longest_wait_seconds: float | None
    agents: dict[str, int]
    interval: metrics.ContactSummary
    day: metrics.ContactSummary
    interval_occupancy: float | None
    day_occupancy: float | None


@dataclass(frozen=True)
class AgentLine:
    agent_id: int
    full_name: str
    state: str
    reason: str | None
    since: datetime | None
    contact_id: int | None
    contact_queue: str | None


@dataclass(frozen=True)
class ChartPoint:
    start: datetime
    end: datetime
    offered: int
    answered: int
    abandoned: int
    service_level: float | None


@dataclass(frozen=True)
class Wallboard:
    at: datetime
    time_zone: str
    interval: Period
    day: Period
    queues: list[QueueFigures]
    total: QueueFigures
    agents: list[AgentLine]
    chart: list[ChartPoint]


def day_of(now: datetime, zone: ZoneInfo) -> Period:
    """The calendar day around ``now`` in ``zone`` (23 or 25 hours across a DST change)."""
    local = as_utc(now).astimezone(zone)
    start = datetime.combine(local.date(), time(0), tzinfo=zone)
    end = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=zone)
    return Period(as_utc(start), as_utc(end))


def interval_of(now: datetime, day: Period) -> Period:
    """The quarter hour of the day's chart that holds ``now``."""
    index = int((as_utc(now) - day.start).total_seconds() // INTERVAL_SECONDS)
    start = day.start + timedelta(seconds=index * INTERVAL_SECONDS)
    return Period(start, min(start + timedelta(seconds=INTERVAL_SECONDS), day.end))


def policy_of(queue: Queue) -> metrics.ServiceLevelPolicy:
    return metrics.ServiceLevelPolicy(
        treatment=queue.service_level_policy,
        threshold_seconds=queue.target_answer_seconds,
        target=queue.service_level_target,
        short_abandon_seconds=queue.short_abandon_seconds,
    )


def _epoch(value: datetime | None) -> float | None:
    return None if value is None else as_utc(value).timestamp()


def _outcome(  # noqa: PLR0917 - one argument per column of the row
    queue_id: int,
    arrived: datetime,
    answered: datetime | None,
    abandoned: datetime | None,
    ended: datetime | None,
    wrap_up_ended: datetime | None,
) -> metrics.ContactOutcome:
    answered_at = _epoch(answered)
    ended_at = _epoch(ended) if answered_at is not None else None
    return metrics.ContactOutcome(
        queue_id=queue_id,
        arrived_at=as_utc(arrived).timestamp(),
        answered_at=answered_at,
        abandoned_at=None if answered_at is not None else _epoch(abandoned),
        ended_at=ended_at,
        wrap_up_ended_at=_epoch(wrap_up_ended) if ended_at is not None else None,
    )


def outcome_of(contact: Contact) -> metrics.ContactOutcome:
    """A contact as the metrics see it; a contact still open has only the steps so far."""
    return _outcome(
        contact.queue_id,
        contact.arrived_at,
        contact.answered_at,
        contact.abandoned_at,
        contact.ended_at,
        contact.wrap_up_ended_at,
    )


def load_outcomes(session: Session, day: Period) -> list[metrics.ContactOutcome]:
    """The day's contacts, and contacts still waiting since before it (they wait *now*).

    Only the step columns are read: whole rows cost several times more on a busy day.
    """
    waiting = Contact.status.in_([ContactStatus.WAITING, ContactStatus.OFFERED])
    rows = session.execute(
        select(
            Contact.queue_id,
            Contact.arrived_at,
            Contact.answered_at,
            Contact.abandoned_at,
            Contact.ended_at,
            Contact.wrap_up_ended_at,
        ).where(or_((Contact.arrived_at >= day.start) & (Contact.arrived_at < day.end), waiting))
    )
    return [_outcome(*row) for row in rows]


Span = tuple[int, str, float, float | None]  # agent, state, start and end (epoch seconds)


def agent_times(
    spans: Iterable[Span], period: Period, now: datetime
) -> dict[int, metrics.AgentTime]:
    """Each agent's seconds per state within ``period``; an open span runs until ``now``."""
    seconds: dict[int, dict[str, float]] = {}
    start = period.start.timestamp()
    end = min(period.end, as_utc(now)).timestamp()
    for agent_id, state, started, ended in spans:
        field = TIME_FIELDS.get(state)  # logged out: not in any AgentTime field
        if field is None:
            continue
        length = min(end if ended is None else ended, end) - max(started, start)
        if length > 0:
            own = seconds.setdefault(agent_id, {})
            own[field] = own.get(field, 0.0) + length
    return {agent_id: metrics.AgentTime(agent_id, **fields) for agent_id, fields in seconds.items()}


def load_spans(session: Session, period: Period) -> list[Span]:
    """The state spans that overlap ``period``, as epoch seconds (converted once)."""
    rows = session.execute(
        select(
            AgentStateSpan.agent_id,
            AgentStateSpan.state,
            AgentStateSpan.started_at,
            AgentStateSpan.ended_at,
        ).where(
            AgentStateSpan.started_at < period.end,
            or_(AgentStateSpan.ended_at.is_(None), AgentStateSpan.ended_at > period.start),
        )
    ).all()
    return [
        (agent_id, state, as_utc(started).timestamp(), _epoch(ended))
        for agent_id, state, started, ended in rows
    ]


def agent_lines(session: Session) -> list[AgentLine]:
    """Every agent who is logged in, with their state and the contact in their hands."""
    presences = session.execute(
        select(AgentPresence, Agent.full_name)
        .join(Agent, Agent.id == AgentPresence.agent_id)
        .where(AgentPresence.state != AgentState.LOGGED_OUT)
        .order_by(Agent.full_name, Agent.id)
    ).all()
    holding: dict[int, Contact] = {}
    for contact in session.scalars(
        select(Contact).where(Contact.status.in_(OPEN_STATUSES[1:])).order_by(Contact.arrived_at)
    ):
        offered_to = (contact.routing_state or {}).get("offered_to")
        holder = offered_to if contact.status is ContactStatus.OFFERED else contact.agent_id
        if isinstance(holder, int):
            holding.setdefault(holder, contact)
    lines = []
    for presence, full_name in presences:
        held = holding.get(presence.agent_id)
        lines.append(
            AgentLine(
                agent_id=presence.agent_id,
                full_name=full_name,
                state=presence.state,
                reason=presence.reason,
                since=as_utc(presence.since) if presence.since else None,
                contact_id=held.id if held else None,
                contact_queue=held.queue.code if held else None,
            )
        )
    return lines


def _serving(session: Session, queues: Sequence[Queue]) -> dict[int, set[int]]:
    """The agents who may take each queue's contacts (its skill, enough proficiency)."""
    grants = session.execute(
        select(AgentSkill.agent_id, AgentSkill.skill_id, AgentSkill.proficiency)
    ).all()
    return {
        queue.id: {
            agent_id
            for agent_id, skill_id, proficiency in grants
            if skill_id == queue.skill_id and proficiency >= queue.min_proficiency
        }
        for queue in queues
    }


@dataclass(frozen=True)
class _Inputs:
    now: float
    day: Period
    interval: Period
    outcomes: list[metrics.ContactOutcome]
    states: Mapping[int, str]
    interval_times: Mapping[int, metrics.AgentTime]
    day_times: Mapping[int, metrics.AgentTime]


def _figures(
    inputs: _Inputs,
    outcomes: list[metrics.ContactOutcome],
    agent_ids: Iterable[int],
    policy: metrics.Policies,
    *,
    queue: Queue | None,
) -> QueueFigures:
    agent_ids = list(agent_ids)
    day_start, day_end = inputs.day.start.timestamp(), inputs.day.end.timestamp()
    start, end = inputs.interval.start.timestamp(), inputs.interval.end.timestamp()
    # ``bucket`` with one interval is the half-open filter: contacts that arrived in it.
    today = metrics.bucket(outcomes, day_start, day_end, day_end - day_start)[0]
    this_interval = metrics.bucket(today, start, end, end - start)[0]
    return QueueFigures(
        queue_id=queue.id if queue else None,
        code=queue.code if queue else "",
        name=queue.name if queue else "",
        service_level_target=queue.service_level_target if queue else None,
        target_answer_seconds=queue.target_answer_seconds if queue else None,
        waiting=metrics.contacts_waiting(outcomes, inputs.now),
        longest_wait_seconds=metrics.longest_wait(outcomes, inputs.now),
        agents=metrics.agents_by_state(
            inputs.states[agent_id] for agent_id in agent_ids if agent_id in inputs.states
        ),
        interval=metrics.summarise(this_interval, policy),
        day=metrics.summarise(today, policy),
        interval_occupancy=metrics.occupancy(
            inputs.interval_times[a] for a in agent_ids if a in inputs.interval_times
        ),
        day_occupancy=metrics.occupancy(
            inputs.day_times[a] for a in agent_ids if a in inputs.day_times
        ),
    )


def wallboard(session: Session, *, now: datetime, zone: ZoneInfo) -> Wallboard:
    """Every figure of the wallboard at ``now``; the day is the calendar day in ``zone``."""
    now = as_utc(now)
    day = day_of(now, zone)
    interval = interval_of(now, day)
    queues = list(session.scalars(select(Queue).where(Queue.active).order_by(Queue.code)))
    spans = load_spans(session, day)
    lines = agent_lines(session)
    inputs = _Inputs(
        now=now.timestamp(),
        day=day,
        interval=interval,
        outcomes=load_outcomes(session, day),
        states={line.agent_id: line.state for line in lines},
        interval_times=agent_times(spans, interval, now),
        day_times=agent_times(spans, day, now),
    )
    policies = {queue.id: policy_of(queue) for queue in queues}
    serving = _serving(session, queues)
    by_queue: dict[int, list[metrics.ContactOutcome]] = {queue.id: [] for queue in queues}
    for outcome in inputs.outcomes:
        by_queue.setdefault(outcome.queue_id, []).append(outcome)
    boards = [
        _figures(
            inputs,
            by_queue[queue.id],
            serving[queue.id],
            policies[queue.id],
            queue=queue,
        )
        for queue in queues
    ]
    everyone = {line.agent_id for line in lines} | set(inputs.day_times)
    total = _figures(inputs, inputs.outcomes, everyone, policies, queue=None)
    chart = [
        ChartPoint(
            start=datetime.fromtimestamp(point.start, day.start.tzinfo),
            end=datetime.fromtimestamp(point.end, day.start.tzinfo),
            offered=point.summary.offered,
            answered=point.summary.answered,
            abandoned=point.summary.abandoned,
            service_level=point.summary.service_level,
        )
        for point in metrics.per_interval(
            inputs.outcomes,
            day.start.timestamp(),
            day.end.timestamp(),
            INTERVAL_SECONDS,
            policies,
        )
    ]
    return Wallboard(now, zone.key, interval, day, boards, total, lines, chart)
