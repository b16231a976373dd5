"""Schedule adherence and conformance: what agents did against what they were scheduled.

Pure (no database, no clock): scheduled activities and state spans in, figures out. The
rules, with worked examples, are in ``docs/adherence.md``:

* a shift is split into on-phone time, breaks and off-phone blocks (training, …);
* on-phone time is kept while the agent is logged in and not "not ready" (ready, offered,
  busy or in wrap-up); any not-ready reason there is unscheduled;
* a break is kept while the agent is not ready with reason ``break`` or ``lunch``;
* an off-phone block is kept while not ready with the block's own reason (``training``,
  ``mentoring``) or ``off_phone_work``;
* adherence = kept seconds / scheduled seconds; conformance = logged-in seconds /
  scheduled seconds, both over the part of the window that has elapsed;
* an exception is an agent out of adherence right now, continuously for at least the
  threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

__all__ = [
    "ON_PHONE_STATES",
    "Activity",
    "AdherenceException",
    "AdherenceFigures",
    "StateSpan",
    "adherence",
    "exception_at",
    "keeps",
    "shift_activities",
    "total",
]

ActivityKind = Literal["phone", "break", "off_phone"]
ON_PHONE_STATES = frozenset({"ready", "offered", "busy", "wrap_up"})
NOT_READY = "not_ready"
LOGGED_OUT = "logged_out"
BREAK_REASONS = frozenset({"break", "lunch"})
OFF_PHONE_REASON = "off_phone_work"


@dataclass(frozen=True, slots=True)
class Activity:
    """A scheduled stretch: on the phones, on a break, or off-phone work of ``name``."""

    start: datetime
    end: datetime
    kind: ActivityKind
    name: str = ""  # the off-phone block's kind (training, mentoring, outbound)


@dataclass(frozen=True, slots=True)
class StateSpan:
    """A stretch in one routing state; ``end`` None while it lasts. Logged-out time has
    no span."""

    start: datetime
    end: datetime | None
    state: str
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class AdherenceFigures:
    """Seconds scheduled, kept (in the scheduled activity) and logged in, and the ratios
    (None without scheduled time)."""

    scheduled_seconds: float
    adherent_seconds: float
    worked_seconds: float

    @property
    def adherence(self) -> float | None:
        return self.adherent_seconds / self.scheduled_seconds if self.scheduled_seconds else None

    @property
    def conformance(self) -> float | None:
        return self.worked_seconds / self.scheduled_seconds if self.scheduled_seconds else None


@dataclass(frozen=True, slots=True)
class AdherenceException:
    """Out of adherence now: what was scheduled, what the agent is in, since when."""

    activity: Activity
    state: str  # a routing state, or ``logged_out``
    reason: str | None
    since: datetime
    seconds: float


def shift_activities(
    start: datetime,
    end: datetime,
    breaks: Sequence[tuple[datetime, datetime]],
    off_phone: Sequence[tuple[str, datetime, datetime]],
) -> list[Activity]:
    """A shift as activities in time order: its breaks and off-phone blocks as given, and
    on-phone time in every gap between them."""
    blocks = [Activity(low, high, "break") for low, high in breaks]
    blocks += [Activity(low, high, "off_phone", name) for name, low, high in off_phone]
    blocks.sort(key=lambda block: block.start)
    result: list[Activity] = []
    cursor = start
    for block in blocks:
        if block.start > cursor:
            result.append(Activity(cursor, block.start, "phone"))
        result.append(block)
        cursor = max(cursor, block.end)
    if cursor < end:
        result.append(Activity(cursor, end, "phone"))
    return result


def keeps(activity: Activity, span: StateSpan | None) -> bool:
    """Whether being in ``span`` (None: logged out) keeps to ``activity``."""
    if span is None:
        return False
    if activity.kind == "phone":
        return span.state in ON_PHONE_STATES
    if span.state != NOT_READY:
        return False
    if activity.kind == "break":
        return span.reason in BREAK_REASONS
    return span.reason in {activity.name, OFF_PHONE_REASON}


def _overlap(start: datetime, end: datetime, low: datetime, high: datetime) -> float:
    return max(0.0, (min(end, high) - max(start, low)).total_seconds())


def adherence(
    activities: Sequence[Activity],
    spans: Sequence[StateSpan],
    *,
    start: datetime,
    end: datetime,
    now: datetime,
) -> AdherenceFigures:
    """One agent's figures over ``[start, end)``, counting only time before ``now``.

    ``activities`` do not overlap one another; nor do ``spans`` (an open span lasts until
    ``now``).
    """
    high = min(end, now)
    if high <= start:
        return AdherenceFigures(0.0, 0.0, 0.0)
    closed = [_closed(span, now) for span in spans]
    scheduled = sum(_overlap(a.start, a.end, start, high) for a in activities)
    kept = sum(
        _overlap(max(a.start, s.start), min(a.end, end_of), start, high)
        for a in activities
        for s, end_of in closed
        if keeps(a, s)
    )
    worked = sum(_overlap(s.start, end_of, start, high) for s, end_of in closed)
    return AdherenceFigures(scheduled, kept, worked)


def _closed(span: StateSpan, now: datetime) -> tuple[StateSpan, datetime]:
    return span, span.end if span.end is not None else now


def total(figures: Iterable[AdherenceFigures]) -> AdherenceFigures:
    """Figures of a team or a day: seconds added up, so longer shifts weigh more."""
    rows = list(figures)
    return AdherenceFigures(
        sum(row.scheduled_seconds for row in rows),
        sum(row.adherent_seconds for row in rows),
        sum(row.worked_seconds for row in rows),
    )


def exception_at(
    activities: Sequence[Activity],
    spans: Sequence[StateSpan],
    *,
    now: datetime,
    threshold: timedelta,
) -> AdherenceException | None:
    """The agent's exception at ``now``: out of adherence without a break for at least
    ``threshold`` (time in another scheduled activity that was not kept counts too)."""
    closed = [_closed(span, now) for span in spans]

    def at(moment: datetime) -> tuple[Activity | None, StateSpan | None]:
        activity = next((a for a in activities if a.start <= moment < a.end), None)
        span = next((s for s, end_of in closed if s.start <= moment < end_of), None)
        return activity, span

    probe = now - timedelta(microseconds=1)
    current, span = at(probe)
    if current is None or keeps(current, span):
        return None
    edges = sorted(
        {a.start for a in activities}
        | {a.end for a in activities}
        | {s.start for s, _ in closed}
        | {end_of for _, end_of in closed}
    )
    # Walk back over the stretches between edges while each one was out of adherence.
    since = now
    for edge in reversed([edge for edge in edges if edge < now]):
        activity, state = at(edge)
        if activity is None or keeps(activity, state):
            break
        since = edge
    seconds = (now - since).total_seconds()
    if seconds < threshold.total_seconds():
        return None
    return AdherenceException(
        activity=current,
        state=span.state if span is not None else LOGGED_OUT,
        reason=span.reason if span is not None else None,
        since=since,
        seconds=seconds,
    )
