"""Half-open intervals ``[start, end)`` and the summary of each one's contacts.

A contact belongs to the interval it *arrived* in, whenever it was answered, abandoned
or handled: the 10:14:50 call answered at 10:15:20 counts in 10:00-10:15, so an
interval's figures never change once its contacts have all finished. The day is one more
interval, ``[day start, day end)``.

>>> from frontline.metrics import ContactOutcome, per_interval
>>> calls = [ContactOutcome(1, 10, answered_at=12), ContactOutcome(1, 899, answered_at=960),
...          ContactOutcome(1, 900, abandoned_at=950)]
>>> [(i.start, i.summary.offered, i.summary.service_level) for i in per_interval(calls, 0, 1800)]
[(0.0, 2, 0.5), (900.0, 1, 0.0)]
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from frontline.metrics.contacts import (
    Policies,
    abandoned,
    abandonment_rate,
    answered,
    average_handle_time,
    average_speed_of_answer,
    average_wait,
    handled,
    service_level,
)
from frontline.metrics.model import (
    DEFAULT_POLICY,
    ContactOutcome,
    MetricsArgumentError,
)

__all__ = [
    "DEFAULT_INTERVAL_SECONDS",
    "ContactSummary",
    "IntervalSummary",
    "bucket",
    "per_interval",
    "summarise",
]

DEFAULT_INTERVAL_SECONDS = 900.0  # the quarter hour of the wallboard's chart of the day


@dataclass(frozen=True, slots=True)
class ContactSummary:
    """The contact metrics of one set of contacts (one interval, one day, one queue)."""

    offered: int
    answered: int
    abandoned: int
    handled: int
    service_level: float | None
    asa_seconds: float | None
    abandonment_rate: float | None
    aht_seconds: float | None
    wait_seconds: float | None


@dataclass(frozen=True, slots=True)
class IntervalSummary:
    start: float
    end: float
    summary: ContactSummary


def summarise(
    outcomes: Iterable[ContactOutcome], policy: Policies = DEFAULT_POLICY
) -> ContactSummary:
    """Every contact metric of ``outcomes`` under ``policy``, each from its one function."""
    contacts = list(outcomes)
    return ContactSummary(
        offered=len(contacts),
        answered=answered(contacts),
        abandoned=abandoned(contacts),
        handled=handled(contacts),
        service_level=service_level(contacts, policy),
        asa_seconds=average_speed_of_answer(contacts),
        abandonment_rate=abandonment_rate(contacts, policy),
        aht_seconds=average_handle_time(contacts),
        wait_seconds=average_wait(contacts),
    )


def bucket(
    outcomes: Iterable[ContactOutcome],
    start: float,
    end: float,
    interval_seconds: float = DEFAULT_INTERVAL_SECONDS,
) -> list[list[ContactOutcome]]:
    """The contacts that arrived in each interval ``[start + k i, start + (k+1) i)``.

    The last interval is cut at ``end``; contacts arriving before ``start`` or at or after
    ``end`` are left out.
    """
    if interval_seconds <= 0:
        raise MetricsArgumentError("interval_seconds", f"must be > 0, got {interval_seconds}")
    if end < start:
        raise MetricsArgumentError("end", f"must not be before start, got {end} < {start}")
    buckets: list[list[ContactOutcome]] = [
        [] for _ in range(math.ceil((end - start) / interval_seconds))
    ]
    for outcome in outcomes:
        if start <= outcome.arrived_at < end:
            buckets[int((outcome.arrived_at - start) // interval_seconds)].append(outcome)
    return buckets


def per_interval(
    outcomes: Iterable[ContactOutcome],
    start: float,
    end: float,
    interval_seconds: float = DEFAULT_INTERVAL_SECONDS,
    policy: Policies = DEFAULT_POLICY,
) -> list[IntervalSummary]:
    """:func:`summarise` of each interval of :func:`bucket`, for the chart of the day."""
    return [
        IntervalSummary(
            float(start + index * interval_seconds),
            float(min(start + (index + 1) * interval_seconds, end)),
            summarise(contacts, policy),
        )
        for index, contacts in enumerate(bucket(outcomes, start, end, interval_seconds))
    ]
