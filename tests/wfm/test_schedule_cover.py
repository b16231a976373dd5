"""The covering plan of whole shifts (rules as totals) on small centers: it is a
relaxation of every roster, and the totals it keeps are the agents' own."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np

from frontline.wfm.schedule import DayOffRequest, ScheduleProblem, Weights, schedule
from frontline.wfm.schedule.cover import ShiftPlan, plan_shifts
from frontline.wfm.schedule.diagnose import check_agents
from frontline.wfm.schedule.example import EXAMPLE_START, example_problem
from frontline.wfm.schedule.model import Cell, Geometry
from frontline.wfm.schedule.roster import on_phone_counts
from frontline.wfm.schedule.solve import WORKERS, site_problem

WEIGHTS = Weights()


def closed_cells(problem: ScheduleProblem) -> dict[str, set[Cell]]:
    checks = check_agents(problem, Geometry(problem), WORKERS)
    return {agent_id: set(check.closed) for agent_id, check in checks.items()}


def plan_of(problem: ScheduleProblem, closed: dict[str, set[Cell]]) -> ShiftPlan:
    plan = plan_shifts(problem, Geometry(problem), closed, weights=WEIGHTS, time_limit_seconds=30)
    assert plan is not None and plan.optimal
    return plan


def test_no_roster_beats_the_plan_of_its_site() -> None:
    # Every roster is a plan (its shifts counted per day and template, its breaks per
    # slot), so the plan's optimum weighs no more than any roster's coverage.
    problem = example_problem(agents=24, weeks=1)
    closed = closed_cells(problem)
    result = schedule(problem, time_limit_seconds=6.0)
    assert result.publishable
    # Off-phone work is not in the plan: count the roster's coverage without it.
    bare = on_phone_counts(problem, [replace(s, off_phone=()) for s in result.shifts])
    for site in problem.sites:
        plan = plan_of(site_problem(problem, site), closed)
        gap = np.asarray(problem.requirement[site]) - bare[site]
        roster_cost = (
            WEIGHTS.under_staffing * np.maximum(gap, 0).sum()
            + WEIGHTS.over_staffing * np.maximum(-gap, 0).sum()
        )
        plan_cost = (
            WEIGHTS.under_staffing * plan.under_staffing
            + WEIGHTS.over_staffing * plan.over_staffing
        )
        assert plan_cost <= roster_cost


def test_the_plan_gives_probationers_no_nights_or_weekends() -> None:
    one_site = site_problem(example_problem(agents=24, weeks=1), "north")
    novices = tuple(replace(agent, on_probation=True, mentor_id=None) for agent in one_site.agents)
    problem = replace(one_site, agents=novices, requests=())
    geometry = Geometry(problem)
    plan = plan_of(problem, {})
    barred = [c for c in geometry.cells if geometry.night(c) or geometry.weekend(c)]
    assert barred and all(plan.counts.get(cell, 0) == 0 for cell in barred)
    assert sum(plan.counts.values()) > 0  # the weekdays are still staffed


def test_a_day_asked_off_in_time_closes_it_for_a_lone_agent() -> None:
    one_site = site_problem(example_problem(agents=24, weeks=1), "north")
    agent = replace(one_site.agents[0], mentor_id=None)
    tuesday = EXAMPLE_START + timedelta(days=1)
    request = DayOffRequest("R1", agent.id, tuesday, EXAMPLE_START - timedelta(days=10))
    problem = replace(one_site, agents=(agent,), requests=(request,))
    plan = plan_of(problem, closed_cells(problem))
    geometry = Geometry(problem)
    on_tuesday = [c for c in geometry.cells if geometry.touches_day(c, 1)]
    assert all(plan.counts.get(cell, 0) == 0 for cell in on_tuesday)
    # One agent: never two shifts on a day, and the week's paid hours within contract.
    for day in range(problem.days):
        assert sum(n for c, n in plan.counts.items() if c.day == day) <= 1
    paid_hours = sum(n * (c.end - c.start) / 60 for c, n in plan.counts.items())
    tolerance = problem.rules.weekly_hours_tolerance
    assert abs(paid_hours - agent.contract_hours_per_week) <= tolerance
