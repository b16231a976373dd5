"""From replications to answers: every figure through :mod:`frontline.metrics`, then a
mean and a confidence interval over the replications.

The interval is Student's t over the replications' values (each replication is one
independent day, so its figure is one observation): mean ± t(1 - (1 - c) / 2, r - 1) ×
s / √r. A figure a replication cannot give (no contacts in that interval) is left out of
that figure's mean; with fewer than two values there is no interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields

# scipy.special, not scipy.stats: the same Student t quantile without the seconds that
# importing scipy.stats adds to every server start.
from scipy.special import stdtrit  # type: ignore[import-untyped]  # SciPy ships no type hints

from frontline.metrics import (
    AgentTime,
    ContactOutcome,
    ContactSummary,
    ServiceLevelPolicy,
    bucket,
    occupancy,
    summarise,
    utilisation,
)
from frontline.sim.replication import DayRecord
from frontline.sim.scenario import Scenario

__all__ = [
    "AgentResult",
    "Estimate",
    "IntervalResult",
    "QueueResult",
    "SimulationResult",
    "SummaryEstimate",
    "estimate",
    "summarise_replications",
]


@dataclass(frozen=True, slots=True)
class Estimate:
    """A figure over replications: mean and confidence interval (None where undefined)."""

    mean: float | None
    low: float | None
    high: float | None
    replications: int  # how many replications gave a value


def estimate(values: Sequence[float | None], confidence: float) -> Estimate:
    known = [value for value in values if value is not None]
    count = len(known)
    if not count:
        return Estimate(None, None, None, 0)
    mean = math.fsum(known) / count
    if count < 2:
        return Estimate(mean, None, None, 1)
    variance = math.fsum((value - mean) ** 2 for value in known) / (count - 1)
    half = float(stdtrit(count - 1, 0.5 + confidence / 2)) * math.sqrt(variance / count)
    return Estimate(mean, mean - half, mean + half, count)


@dataclass(frozen=True, slots=True)
class SummaryEstimate:
    """Each field of :class:`frontline.metrics.ContactSummary`, estimated."""

    offered: Estimate
    answered: Estimate
    abandoned: Estimate
    handled: Estimate
    service_level: Estimate
    asa_seconds: Estimate
    abandonment_rate: Estimate
    aht_seconds: Estimate
    wait_seconds: Estimate

    @classmethod
    def of(cls, summaries: Sequence[ContactSummary], confidence: float) -> SummaryEstimate:
        return cls(
            **{
                field.name: estimate([getattr(s, field.name) for s in summaries], confidence)
                for field in fields(ContactSummary)
            }
        )


@dataclass(frozen=True, slots=True)
class IntervalResult:
    start: float  # seconds after midnight
    end: float
    contacts: SummaryEstimate
    queue_length: Estimate  # time-average contacts waiting
    max_queue_length: Estimate


@dataclass(frozen=True, slots=True)
class QueueResult:
    name: str
    policy: ServiceLevelPolicy
    day: SummaryEstimate  # contacts arriving from open + warm-up to close
    intervals: tuple[IntervalResult, ...]


@dataclass(frozen=True, slots=True)
class AgentResult:
    agent_id: int
    group: str
    utilisation: Estimate


@dataclass(frozen=True, slots=True)
class SimulationResult:
    replications: int
    confidence: float
    seed: int
    queues: tuple[QueueResult, ...]
    occupancy: tuple[Estimate, ...]  # all agents, per interval
    day_occupancy: Estimate  # all agents, from open + warm-up to close
    agents: tuple[AgentResult, ...]


def summarise_replications(
    scenario: Scenario, days: Sequence[DayRecord], agent_groups: Sequence[int]
) -> SimulationResult:
    confidence, length = scenario.confidence, scenario.interval_seconds
    starts = [scenario.open + index * length for index in range(scenario.intervals)]
    ends = [min(start + length, scenario.close) for start in starts]
    # The day's figures leave out the warm-up: contacts arriving in it, intervals in it.
    measured_from = scenario.open + scenario.warm_up_minutes * 60
    measured = range(
        min(int(scenario.warm_up_minutes * 60 // length), scenario.intervals), scenario.intervals
    )
    by_queue = [_by_queue(day.outcomes, len(scenario.queues)) for day in days]
    queues = []
    for index, queue in enumerate(scenario.queues):
        policy = queue.service_level.policy()
        per_day = [split[index] for split in by_queue]
        day_figures = [
            summarise(
                (o for o in outcomes if measured_from <= o.arrived_at < scenario.close), policy
            )
            for outcomes in per_day
        ]
        buckets = [bucket(outcomes, scenario.open, scenario.close, length) for outcomes in per_day]
        intervals = tuple(
            IntervalResult(
                start,
                end,
                SummaryEstimate.of([summarise(b[k], policy) for b in buckets], confidence),
                estimate([day.queue_area[index][k] / (end - start) for day in days], confidence),
                estimate([day.queue_max[index][k] for day in days], confidence),
            )
            for k, (start, end) in enumerate(zip(starts, ends, strict=True))
        )
        queues.append(
            QueueResult(queue.name, policy, SummaryEstimate.of(day_figures, confidence), intervals)
        )
    return SimulationResult(
        replications=len(days),
        confidence=confidence,
        seed=scenario.seed,
        queues=tuple(queues),
        occupancy=tuple(
            estimate([occupancy(_group_times(day, range(k, k + 1))) for day in days], confidence)
            for k in range(scenario.intervals)
        ),
        day_occupancy=estimate(
            [occupancy(_group_times(day, measured)) for day in days], confidence
        ),
        agents=tuple(
            AgentResult(
                agent,
                scenario.agents[group].name,
                estimate([utilisation(day.agent_time[agent]) for day in days], confidence),
            )
            for agent, group in enumerate(agent_groups)
        ),
    )


def _by_queue(outcomes: Sequence[ContactOutcome], queues: int) -> list[list[ContactOutcome]]:
    split: list[list[ContactOutcome]] = [[] for _ in range(queues)]
    for outcome in outcomes:
        split[outcome.queue_id].append(outcome)
    return split


def _group_times(day: DayRecord, intervals: range) -> list[AgentTime]:
    """One AgentTime per agent group over some intervals (occupancy only sums them)."""
    return [
        AgentTime(group, *(math.fsum(seconds[k] for k in intervals) for seconds in states))
        for group, states in enumerate(day.group_seconds)
    ]
