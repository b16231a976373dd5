"""The scheduler on a small center: its rosters pass the independent check, requests
filed by the deadline are kept, probationers stay off nights and weekends, impossible
rules are named, and progress is reported."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from frontline.wfm.roster_check import check_roster
from frontline.wfm.schedule import (
    Agent,
    DayOffRequest,
    Progress,
    Rules,
    ScheduleInfeasibleError,
    ScheduleInputError,
    ScheduleProblem,
    ScheduleResult,
    schedule,
)
from frontline.wfm.schedule.example import EXAMPLE_START, example_problem

DAY = 1440
TIME_LIMIT = 6.0
DEADLINE = EXAMPLE_START - timedelta(days=7)
DEFAULT_RULES = Rules()


def small_problem() -> ScheduleProblem:
    """24 agents, one week; on-time requests for Tuesday and Wednesday, and every agent
    at one site asking late for Monday off (not all can be spared)."""
    problem = example_problem(agents=24, weeks=1)
    first = problem.agents[0]
    timely = (
        DayOffRequest("T1", first.id, EXAMPLE_START + timedelta(days=1), DEADLINE),
        DayOffRequest(
            "T2",
            problem.agents[1].id,
            EXAMPLE_START + timedelta(days=2),
            DEADLINE - timedelta(days=3),
        ),
    )
    late = tuple(
        DayOffRequest(f"L{n}", agent.id, EXAMPLE_START, EXAMPLE_START - timedelta(days=2))
        for n, agent in enumerate(problem.agents)
        if agent.site == first.site and agent.id not in (first.id, problem.agents[1].id)
    )
    return replace(problem, requests=timely + late)


@pytest.fixture(scope="module")
def solved() -> tuple[ScheduleProblem, ScheduleResult, list[Progress]]:
    problem = small_problem()
    seen: list[Progress] = []
    return problem, schedule(problem, time_limit_seconds=TIME_LIMIT, progress=seen.append), seen


def works_on(result: ScheduleResult, agent_id: str, day: date) -> bool:
    index = (day - EXAMPLE_START).days
    return any(
        s.agent_id == agent_id and s.start_minute < (index + 1) * DAY and s.end_minute > index * DAY
        for s in result.shifts
    )


def test_the_roster_passes_the_independent_check(
    solved: tuple[ScheduleProblem, ScheduleResult, list[Progress]],
) -> None:
    problem, result, _ = solved
    assert result.shifts
    assert result.publishable
    assert check_roster(problem, result.shifts, result.requests, result.on_phone) == []


def test_under_staffing_is_never_below_the_lp_bound(
    solved: tuple[ScheduleProblem, ScheduleResult, list[Progress]],
) -> None:
    _, result, _ = solved
    assert result.lp_lower_bound is not None
    assert result.under_staffing >= result.lp_lower_bound - 1e-6
    assert result.gap_to_lp is not None and result.gap_to_lp >= 0


def test_requests_filed_by_the_deadline_are_honoured(
    solved: tuple[ScheduleProblem, ScheduleResult, list[Progress]],
) -> None:
    problem, result, _ = solved
    decisions = {d.request_id: d for d in result.requests}
    for request in problem.requests[:2]:
        assert decisions[request.id].honoured
        assert not works_on(result, request.agent_id, request.day)


def test_late_requests_may_be_refused_with_the_reason(
    solved: tuple[ScheduleProblem, ScheduleResult, list[Progress]],
) -> None:
    _, result, _ = solved
    refused = [d for d in result.requests if d.request_id.startswith("L") and not d.honoured]
    assert refused  # a whole site cannot take Monday off
    assert all("after the deadline" in d.reason for d in refused)


def test_probationers_work_neither_nights_nor_weekends(
    solved: tuple[ScheduleProblem, ScheduleResult, list[Progress]],
) -> None:
    problem, result, _ = solved
    probationers = {a.id for a in problem.agents if a.on_probation}
    nights = {t.name for t in problem.templates if t.night}
    assert probationers
    for shift in result.shifts:
        if shift.agent_id not in probationers:
            continue
        assert shift.template not in nights
        days = range(shift.start_minute // DAY, (shift.end_minute - 1) // DAY + 1)
        assert all((EXAMPLE_START + timedelta(days=d)).weekday() < 5 for d in days)


def test_breaks_lie_inside_their_shifts_and_coverage_is_reported(
    solved: tuple[ScheduleProblem, ScheduleResult, list[Progress]],
) -> None:
    problem, result, _ = solved
    for shift in result.shifts:
        assert shift.breaks
        for start, end in shift.breaks:
            assert shift.start_minute < start < end < shift.end_minute
    for site in problem.sites:
        assert len(result.on_phone[site]) == problem.intervals


def test_night_and_weekend_shares_are_reported_per_site(
    solved: tuple[ScheduleProblem, ScheduleResult, list[Progress]],
) -> None:
    problem, result, _ = solved
    nights = {t.name for t in problem.templates if t.night}
    for site in problem.sites:
        eligible = [a.id for a in problem.agents if a.site == site and not a.on_probation]
        counts = [
            sum(s.template in nights for s in result.shifts if s.agent_id == a) for a in eligible
        ]
        assert result.fair_shares[site].nights == (min(counts), max(counts))


def test_progress_is_reported_up_to_the_verified_roster(
    solved: tuple[ScheduleProblem, ScheduleResult, list[Progress]],
) -> None:
    _, result, seen = solved
    assert len(seen) >= 2
    assert seen[-1].phase == "verified"
    assert seen[-1].under_staffing == result.under_staffing
    elapsed = [p.elapsed_seconds for p in seen]
    assert elapsed == sorted(elapsed)


def one_site(
    *agents: Agent, rules: Rules = DEFAULT_RULES, requests: tuple[DayOffRequest, ...] = ()
) -> ScheduleProblem:
    base = example_problem(agents=3, weeks=1)
    return ScheduleProblem(
        start=EXAMPLE_START,
        weeks=1,
        agents=agents,
        templates=base.templates,
        requirement={"north": [2] * (7 * 48)},
        requests=requests,
        rules=rules,
    )


def test_impossible_rules_name_the_constraint() -> None:
    # Weekdays only (probation) and 8-12 h shifts cannot make 64 h a week.
    problem = one_site(
        Agent("M", "north", 40.0),
        Agent("P", "north", 64.0, on_probation=True, mentor_id="M"),
        rules=Rules(weekly_hours_tolerance=0.0),
    )
    with pytest.raises(ScheduleInfeasibleError) as caught:
        schedule(problem, time_limit_seconds=TIME_LIMIT)
    assert caught.value.agent_id == "P"
    assert "weekly hours (64 ± 0 h by contract)" in str(caught.value)


def test_an_on_time_request_the_rules_forbid_is_refused_with_the_reason() -> None:
    # 40 h exactly in 8 and 12 h shifts needs four days; four days off leave three.
    asked = tuple(
        DayOffRequest(f"R{day}", "A", EXAMPLE_START + timedelta(days=day), DEADLINE)
        for day in range(4)
    )
    problem = one_site(
        Agent("A", "north", 40.0), rules=Rules(weekly_hours_tolerance=0.0), requests=asked
    )
    result = schedule(problem, time_limit_seconds=TIME_LIMIT)
    refused = [d for d in result.requests if not d.honoured]
    assert len(refused) == 1
    assert "weekly hours (40 ± 0 h by contract)" in refused[0].reason
    assert result.publishable


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"weeks": 0}, "weeks"),
        ({"requirement": {"north": [1] * 5}}, "requirement[north]"),
        ({"agents": (Agent("A", "south", 40.0),)}, "agents[0].site"),
        ({"agents": (Agent("A", "north", 40.0, mentor_id="Z"),)}, "agents[0].mentor_id"),
        ({"agents": (Agent("A", "north", 0.0),)}, "agents[0].contract_hours_per_week"),
        ({"rules": Rules(min_rest_hours=30)}, "rules.min_rest_hours"),
        ({"requests": (DayOffRequest("R", "B", EXAMPLE_START, DEADLINE),)}, "requests[0].agent_id"),
    ],
)
def test_bad_input_names_the_field(change: dict[str, object], field: str) -> None:
    problem = replace(one_site(Agent("A", "north", 40.0)), **change)  # type: ignore[arg-type]
    with pytest.raises(ScheduleInputError) as caught:
        schedule(problem, time_limit_seconds=TIME_LIMIT)
    assert caught.value.field == field
