"""A staffing plan: forecast volumes to agents per interval, shared agents, and their cost.

Pure (STYLE.md point 4): per-queue interval volumes and AHT in (the shape ``frontline
wfm forecast`` writes), frozen dataclasses out. Per queue, Erlang C or Erlang A sizes
every interval (:func:`frontline.wfm.staffing.required_agents`); shrinkage turns agents
on the phones into agents scheduled. Queues in one ``pool`` share their agents; how that
is approximated, and how the monthly cost per site follows from the salary table, is in
``docs/staffing.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from frontline.people.models import AgentLevel
from frontline.wfm.errors import FloatArray, QueueingArgumentError
from frontline.wfm.salaries import salary_range
from frontline.wfm.staffing import StaffingResult, required_agents

__all__ = [
    "DEFAULT_LEVEL_MIX",
    "PoolPlan",
    "QueueDemand",
    "QueuePlan",
    "QueueSettings",
    "Shrinkage",
    "SiteCost",
    "StaffingPlan",
    "staffing_plan",
]

IntArray = NDArray[np.int64]
Method = Literal["erlang_c", "erlang_a"]
METHODS: tuple[Method, ...] = ("erlang_c", "erlang_a")

# An assumption, to be replaced by a site's real mix: most agents are consultants.
DEFAULT_LEVEL_MIX: Mapping[AgentLevel, float] = {
    AgentLevel.CONSULTANT: 0.6,
    AgentLevel.SPECIALIST: 0.3,
    AgentLevel.LEADING_SPECIALIST: 0.1,
}
_HOURS_PER_WEEK = 40.0


@dataclass(frozen=True, slots=True)
class Shrinkage:
    """Shares of paid time off the phones, each of paid time (so they add up)."""

    breaks: float = 0.0
    training: float = 0.0
    absence: float = 0.0

    @property
    def total(self) -> float:
        return self.breaks + self.training + self.absence


@dataclass(frozen=True, slots=True)
class QueueSettings:
    """How one queue is sized: the model, its targets, shrinkage, pool and site."""

    method: Method = "erlang_c"
    service_level_target: float = 0.8
    target_answer_seconds: float = 20.0
    patience_seconds: float | None = None  # Erlang A's mean patience; required there
    shrinkage: Shrinkage = field(default_factory=Shrinkage)
    pool: str | None = None  # queues with the same pool share agents
    site: str = "Moscow"  # a city of the salary table


@dataclass(frozen=True, slots=True)
class QueueDemand:
    """A queue's forecast: calls and AHT per interval, starts in Unix seconds."""

    interval_start: IntArray
    volume: FloatArray
    aht_seconds: FloatArray
    interval_seconds: int


@dataclass(frozen=True, slots=True)
class QueuePlan:
    """One queue sized on its own. ``agents`` on the phones, ``scheduled_agents`` paid."""

    queue: str
    settings: QueueSettings
    demand: QueueDemand
    agents: IntArray
    scheduled_agents: IntArray
    service_level: FloatArray
    p_abandon: FloatArray | None


@dataclass(frozen=True, slots=True)
class PoolPlan:
    """Queues sharing agents, per interval: the sum of their separate requirements (no
    agent helps another queue) and the requirement of their combined load held to the
    strictest target (every agent takes any call). See ``docs/staffing.md``."""

    pool: str
    queues: tuple[str, ...]
    interval_start: IntArray
    separate_agents: IntArray
    separate_scheduled: IntArray
    pooled_agents: IntArray
    pooled_scheduled: IntArray


@dataclass(frozen=True, slots=True)
class SiteCost:
    """Full-time equivalents and monthly cost of one site, without and with sharing.

    Costs in roubles a month at the study's 2012 salaries: low, middle and high of each
    level's band, weighted by the level mix.
    """

    site: str
    fte_separate: float
    fte_pooled: float
    salary_rub: tuple[float, float, float]  # low, mid, high of one average agent
    monthly_cost_separate_rub: tuple[float, float, float]
    monthly_cost_pooled_rub: tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class StaffingPlan:
    queues: tuple[QueuePlan, ...]
    pools: tuple[PoolPlan, ...]
    sites: tuple[SiteCost, ...]


def staffing_plan(
    demand: Mapping[str, QueueDemand],
    settings: Mapping[str, QueueSettings],
    *,
    level_mix: Mapping[AgentLevel, float] = DEFAULT_LEVEL_MIX,
    hours_per_week: float = _HOURS_PER_WEEK,
) -> StaffingPlan:
    """Agents per interval per queue, per pool, and the monthly cost per site.

    ``settings`` names every queue of ``demand``. ``level_mix``: the share of agents at
    each level (summing to 1); ``hours_per_week``: one full-time agent's paid hours.

    >>> demand = {"sales": QueueDemand(np.array([0]), np.array([100.0]), np.array([180.0]), 1800)}
    >>> plan = staffing_plan(demand, {"sales": QueueSettings(shrinkage=Shrinkage(absence=0.3))})
    >>> int(plan.queues[0].agents[0]), int(plan.queues[0].scheduled_agents[0])
    (14, 20)
    """
    _check_mix(level_mix)
    if hours_per_week <= 0:
        raise QueueingArgumentError("hours_per_week", f"must be > 0, got {hours_per_week}")
    missing = [queue for queue in demand if queue not in settings]
    if missing:
        raise QueueingArgumentError("queue", f"has no settings: {missing[0]}")
    queues = tuple(_queue_plan(name, demand[name], settings[name]) for name in demand)
    pools = tuple(_pool_plans(queues))
    sites = tuple(_site_costs(queues, pools, level_mix, hours_per_week))
    return StaffingPlan(queues=queues, pools=pools, sites=sites)


def _queue_plan(name: str, demand: QueueDemand, settings: QueueSettings) -> QueuePlan:
    if settings.method not in METHODS:
        raise QueueingArgumentError(
            f"{name}.method", f"must be erlang_c or erlang_a, got {settings.method!r}"
        )
    if settings.method == "erlang_a" and settings.patience_seconds is None:
        raise QueueingArgumentError(f"{name}.patience_seconds", "is required for erlang_a")
    result = _sized(
        f"{name}.",
        demand.volume,
        demand.aht_seconds,
        demand.interval_seconds,
        settings=settings,
        shrinkage=settings.shrinkage.total,
    )
    return QueuePlan(
        queue=name,
        settings=settings,
        demand=demand,
        agents=result.agents,
        scheduled_agents=result.scheduled_agents,
        service_level=result.service_level,
        p_abandon=result.p_abandon,
    )


def _sized(
    where: str,
    volume: FloatArray,
    aht_seconds: FloatArray,
    interval_seconds: int,
    *,
    settings: QueueSettings,
    shrinkage: float,
) -> StaffingResult:
    """``required_agents`` with its argument errors named after the queue or pool."""
    # An interval without calls needs nobody, whatever its (possibly unknown) AHT.
    aht = np.where(volume > 0, aht_seconds, 1.0)
    try:
        return required_agents(
            volume,
            interval_seconds,
            aht,
            settings.service_level_target,
            settings.target_answer_seconds,
            settings.patience_seconds if settings.method == "erlang_a" else None,
            shrinkage=shrinkage,
        )
    except QueueingArgumentError as exc:
        raise QueueingArgumentError(f"{where}{exc.argument}", _message(exc)) from None


def _message(exc: QueueingArgumentError) -> str:
    return str(exc).removeprefix(exc.argument).lstrip()


def _pool_plans(queues: tuple[QueuePlan, ...]) -> list[PoolPlan]:
    members: dict[str, list[QueuePlan]] = {}
    for plan in queues:
        if plan.settings.pool is not None:
            members.setdefault(plan.settings.pool, []).append(plan)
    return [_pool_plan(name, plans) for name, plans in members.items()]


def _pool_plan(name: str, plans: list[QueuePlan]) -> PoolPlan:
    """The pooled requirement: one queue with the pool's combined load (see docs)."""
    first = plans[0].demand
    for plan in plans[1:]:
        if plan.settings.site != plans[0].settings.site:
            raise QueueingArgumentError(
                f"{plan.queue}.site", f"differs from the rest of pool {name!r}"
            )
        if plan.demand.interval_seconds != first.interval_seconds or not np.array_equal(
            plan.demand.interval_start, first.interval_start
        ):
            raise QueueingArgumentError(
                f"{plan.queue}.interval_start", f"differ from the rest of pool {name!r}"
            )
    volume = np.sum([plan.demand.volume for plan in plans], axis=0)
    work = np.sum(
        [plan.demand.volume * np.nan_to_num(plan.demand.aht_seconds) for plan in plans], axis=0
    )
    aht = np.divide(work, volume, out=np.ones_like(volume), where=volume > 0)
    result = _sized(
        f"pool {name}: ",
        volume,
        aht,
        first.interval_seconds,
        settings=_pooled_settings(plans),
        shrinkage=max(plan.settings.shrinkage.total for plan in plans),
    )
    return PoolPlan(
        pool=name,
        queues=tuple(plan.queue for plan in plans),
        interval_start=first.interval_start,
        separate_agents=np.sum([plan.agents for plan in plans], axis=0),
        separate_scheduled=np.sum([plan.scheduled_agents for plan in plans], axis=0),
        pooled_agents=result.agents,
        pooled_scheduled=result.scheduled_agents,
    )


def _pooled_settings(plans: list[QueuePlan]) -> QueueSettings:
    """The strictest target of the pool; Erlang A only if every queue uses it, with the
    longest patience (the closer to Erlang C, the more agents)."""
    every_a = all(plan.settings.method == "erlang_a" for plan in plans)
    patience = [plan.settings.patience_seconds or 0.0 for plan in plans]
    return QueueSettings(
        method="erlang_a" if every_a else "erlang_c",
        service_level_target=max(plan.settings.service_level_target for plan in plans),
        target_answer_seconds=min(plan.settings.target_answer_seconds for plan in plans),
        patience_seconds=max(patience) if every_a else None,
    )


def _site_costs(
    queues: tuple[QueuePlan, ...],
    pools: tuple[PoolPlan, ...],
    level_mix: Mapping[AgentLevel, float],
    hours_per_week: float,
) -> list[SiteCost]:
    separate: dict[str, float] = {}
    pooled: dict[str, float] = {}
    pool_site = {}
    for plan in queues:
        site = plan.settings.site
        fte = _fte(plan.scheduled_agents, plan.demand.interval_seconds, hours_per_week)
        separate[site] = separate.get(site, 0.0) + fte
        if plan.settings.pool is None:
            pooled[site] = pooled.get(site, 0.0) + fte
        else:
            pool_site[plan.settings.pool] = (site, plan.demand.interval_seconds)
    for pool in pools:
        site, interval_seconds = pool_site[pool.pool]
        fte = _fte(pool.pooled_scheduled, interval_seconds, hours_per_week)
        pooled[site] = pooled.get(site, 0.0) + fte
    costs = []
    for site, fte_separate in separate.items():
        salary = _average_salary(site, level_mix)
        fte_pooled = pooled.get(site, 0.0)
        costs.append(
            SiteCost(
                site=site,
                fte_separate=fte_separate,
                fte_pooled=fte_pooled,
                salary_rub=salary,
                monthly_cost_separate_rub=_times(salary, fte_separate),
                monthly_cost_pooled_rub=_times(salary, fte_pooled),
            )
        )
    return costs


def _fte(scheduled: IntArray, interval_seconds: int, hours_per_week: float) -> float:
    """Full-time agents to cover the scheduled agent-hours, at the horizon's weekly rate."""
    if not scheduled.size:
        return 0.0
    agent_hours = float(scheduled.sum()) * interval_seconds / 3600
    weeks = scheduled.size * interval_seconds / (7 * 86_400)
    return agent_hours / weeks / hours_per_week


def _average_salary(site: str, level_mix: Mapping[AgentLevel, float]) -> tuple[float, float, float]:
    low = mid = high = 0.0
    for level, share in level_mix.items():
        band = salary_range(site, level)
        low += share * band.low_rub
        mid += share * band.mid_rub
        high += share * band.high_rub
    return low, mid, high


def _times(salary: tuple[float, float, float], fte: float) -> tuple[float, float, float]:
    return (salary[0] * fte, salary[1] * fte, salary[2] * fte)


def _check_mix(level_mix: Mapping[AgentLevel, float]) -> None:
    if any(share < 0 for share in level_mix.values()):
        raise QueueingArgumentError("level_mix", "shares must be >= 0")
    if abs(sum(level_mix.values()) - 1.0) > 1e-9:
        raise QueueingArgumentError(
            "level_mix", f"shares must add up to 1, got {sum(level_mix.values()):g}"
        )
