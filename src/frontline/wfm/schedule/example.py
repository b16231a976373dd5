"""A deterministic example: a 24/7 center on three sites, its agents and their requests.

The requirement comes from an intraday volume profile — 16,000 calls on the busiest day,
4 minutes a call, 90% answered in 20 seconds — sized per interval with
:func:`frontline.wfm.staffing.required_agents`. The same seed gives the same scenario on
every machine; the bench, ``frontline wfm schedule --example`` and the tests use it
(tests with a few agents and one or two weeks).

>>> problem = example_problem(agents=250, weeks=4)
>>> len(problem.agents), problem.sites, problem.intervals
(250, ('east', 'north', 'south'), 1344)
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from frontline.wfm.schedule.inputs import (
    Agent,
    BreakRule,
    DayOffRequest,
    OffPhoneNeed,
    Rules,
    ScheduleProblem,
    ShiftTemplate,
)
from frontline.wfm.staffing import required_agents

__all__ = ["EXAMPLE_START", "example_problem", "example_templates"]

EXAMPLE_START = date(2026, 12, 7)  # a Monday
PEAK_CALLS_PER_DAY = 16_000
AHT_SECONDS = 240.0
SERVICE_LEVEL, ANSWER_SECONDS = 0.9, 20
# Share of the center's calls per site, and of the full 250 agents.
SITE_SHARES = {"north": 0.44, "south": 0.32, "east": 0.24}
# Monday first: a consumer line, busy on weekdays, quieter at weekends.
WEEKDAY_LOAD = (1.0, 0.96, 0.93, 0.92, 0.9, 0.72, 0.62)
CONTRACTS = ((40.0, 0.7), (36.0, 0.2), (32.0, 0.1))
PROBATION_SHARE = 0.1
REQUEST_SHARE = 0.15
LATE_SHARE = 0.3
FULL_CENTER = 250
_CALIBRATION_STEPS = 12

_SHORT = (BreakRule(30, 180, 300),)
_LONG = (BreakRule(30, 180, 300), BreakRule(30, 420, 540))


def example_templates() -> tuple[ShiftTemplate, ...]:
    """8- and 12-hour shifts: from 08:00, mid-morning, after lunch, evening and nights."""
    return (
        ShiftTemplate("D8", 8 * 60, 480, breaks=_SHORT),
        ShiftTemplate("M8", 10 * 60, 480, breaks=_SHORT),
        ShiftTemplate("L8", 13 * 60, 480, breaks=_SHORT),
        ShiftTemplate("E8", 16 * 60, 480, breaks=_SHORT),
        ShiftTemplate("N8", 22 * 60, 480, night=True, breaks=_SHORT),
        ShiftTemplate("D12", 8 * 60, 720, breaks=_LONG),
        ShiftTemplate("N12", 20 * 60, 720, night=True, breaks=_LONG),
    )


def example_problem(
    agents: int = 250, weeks: int = 4, seed: int = 2026, start: date = EXAMPLE_START
) -> ScheduleProblem:
    """The example with ``agents`` agents over ``weeks``.

    With 250 agents the center takes 16,000 calls on its busiest day. Smaller centers
    take fewer calls, so that the requirement fills the same share of their agents' hours
    (queueing needs proportionally more agents for fewer calls, so calls do not simply
    scale with agents).
    """
    rng = np.random.default_rng(seed)
    roster = _agents(rng, agents)
    calls = float(PEAK_CALLS_PER_DAY)
    if agents != FULL_CENTER:
        reference = _agents(np.random.default_rng(seed), FULL_CENTER)
        target = _load_share(calls, reference)
        low, high = 0.0, calls
        for _ in range(_CALIBRATION_STEPS):
            calls = (low + high) / 2
            low, high = (calls, high) if _load_share(calls, roster) < target else (low, calls)
    requirement = {site: _requirement(calls * share, weeks) for site, share in SITE_SHARES.items()}
    problem = ScheduleProblem(
        start=start,
        weeks=weeks,
        agents=roster,
        templates=example_templates(),
        requirement=requirement,
        rules=Rules(),
    )
    return ScheduleProblem(
        start=start,
        weeks=weeks,
        agents=roster,
        templates=problem.templates,
        requirement=requirement,
        requests=_requests(rng, problem),
        rules=problem.rules,
    )


def _load_share(calls: float, roster: tuple[Agent, ...]) -> float:
    """Agent-intervals a week required, over those the contracts pay for."""
    required = sum(sum(_requirement(calls * share, 1)) for share in SITE_SHARES.values())
    return required / sum(agent.contract_hours_per_week * 2 for agent in roster)


def _requirement(peak_calls: float, weeks: int) -> list[int]:
    """Agents on the phones per half hour: a 24/7 day with morning and evening humps."""
    hours = (np.arange(48) + 0.5) / 2
    shape = (
        0.12
        + np.exp(-(((hours - 11.0) / 2.2) ** 2))
        + 0.85 * np.exp(-(((hours - 16.0) / 2.5) ** 2))
        + 0.35 * np.exp(-(((hours - 20.5) / 1.5) ** 2))
    )
    shape /= shape.sum()
    days = np.array([WEEKDAY_LOAD[day % 7] for day in range(weeks * 7)])
    volume = (days[:, None] * shape[None, :] * peak_calls).ravel()
    agents = required_agents(volume, 1800, AHT_SECONDS, SERVICE_LEVEL, ANSWER_SECONDS).agents
    return [int(value) for value in agents]


def _agents(rng: np.random.Generator, count: int) -> tuple[Agent, ...]:
    sites = list(SITE_SHARES)
    sizes = [round(count * share) for share in SITE_SHARES.values()]
    sizes[0] += count - sum(sizes)
    roster: list[Agent] = []
    number = 0
    for site, size in zip(sites, sizes, strict=True):
        probationers = max(1, round(size * PROBATION_SHARE)) if size >= 4 else 0
        seniors: list[str] = []
        for position in range(size):
            number += 1
            agent_id = f"A{number:03d}"
            hours = float(
                rng.choice([h for h, _ in CONTRACTS], p=[share for _, share in CONTRACTS])
            )
            if position < size - probationers:
                seniors.append(agent_id)
                roster.append(Agent(agent_id, site, hours, off_phone=_outbound(position)))
            else:
                mentor = seniors[(position - (size - probationers)) % len(seniors)]
                roster.append(
                    Agent(
                        agent_id,
                        site,
                        40.0,
                        on_probation=True,
                        mentor_id=mentor,
                        off_phone=(OffPhoneNeed("training", 120),),
                    )
                )
    return tuple(roster)


def _outbound(position: int) -> tuple[OffPhoneNeed, ...]:
    # Every third senior agent calls customers back for half an hour a week.
    return (OffPhoneNeed("outbound", 30),) if position % 3 == 0 else ()


def _requests(rng: np.random.Generator, problem: ScheduleProblem) -> tuple[DayOffRequest, ...]:
    requests: list[DayOffRequest] = []
    deadline = problem.rules.request_deadline(problem.start)
    for agent in problem.agents:
        if rng.random() >= REQUEST_SHARE:
            continue
        day = problem.start + timedelta(days=int(rng.integers(0, problem.days)))
        late = rng.random() < LATE_SHARE
        filed = deadline + timedelta(
            days=int(rng.integers(1, 6)) if late else -int(rng.integers(0, 10))
        )
        requests.append(DayOffRequest(f"R{len(requests) + 1:03d}", agent.id, day, min(filed, day)))
    return tuple(requests)
