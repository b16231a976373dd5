"""Every break of a site placed at once, the shifts fixed: the breaks stay inside their
windows and keep the rules, bunched breaks are spread, and a placement that cannot be
bettered is left alone. And the agent-by-agent passes around it: they start from the
breaks they are given, and value a deeper shortage a little more."""

from __future__ import annotations

import time

import numpy as np

from frontline.wfm.roster_check import check_roster
from frontline.wfm.schedule import ScheduleProblem, Weights
from frontline.wfm.schedule.breaks import place_breaks
from frontline.wfm.schedule.diagnose import check_agents
from frontline.wfm.schedule.example import example_problem
from frontline.wfm.schedule.greedy import greedy_roster
from frontline.wfm.schedule.improve import Breaks, _gain, _Site, improve_roster
from frontline.wfm.schedule.lns import on_phone, weighted_cost
from frontline.wfm.schedule.model import Cell, Geometry, build_model
from frontline.wfm.schedule.solve import WORKERS, _shifts, site_problem

WEIGHTS = Weights()


def bunched(problem: ScheduleProblem, geometry: Geometry) -> tuple[dict[str, set[Cell]], Breaks]:
    """A rule-clean roster whose every break sits in its earliest slot."""
    checks = check_agents(problem, geometry, WORKERS)
    closed = {agent_id: set(check.closed) for agent_id, check in checks.items()}
    built = build_model(problem, closed, WEIGHTS)
    roster = greedy_roster(problem, geometry, built.shifts)
    breaks = {
        (agent_id, cell): [
            rule.earliest_start_minutes for rule in problem.templates[cell.template].breaks
        ]
        for agent_id, cells in roster.items()
        for cell in cells
    }
    return roster, breaks


def cost(
    problem: ScheduleProblem, geometry: Geometry, roster: dict[str, set[Cell]], breaks: Breaks
) -> int:
    required = np.asarray(problem.requirement[problem.sites[0]], dtype=np.int64)
    return weighted_cost(required, on_phone(geometry, roster, breaks), WEIGHTS)


def _place(
    problem: ScheduleProblem, geometry: Geometry, roster: dict[str, set[Cell]], breaks: Breaks
) -> bool:
    """``place_breaks`` with ten seconds from now, ample for a one-week site."""
    return place_breaks(
        problem,
        geometry,
        roster,
        breaks,
        weights=WEIGHTS,
        deadline=time.monotonic() + 10.0,
        workers=WORKERS,
    )


def test_bunched_breaks_are_spread_inside_their_windows() -> None:
    problem = site_problem(example_problem(agents=24, weeks=1), "north")
    geometry = Geometry(problem)
    roster, breaks = bunched(problem, geometry)
    shifts_before = {agent_id: set(cells) for agent_id, cells in roster.items()}
    before = cost(problem, geometry, roster, breaks)
    better = _place(problem, geometry, roster, breaks)
    assert better
    assert cost(problem, geometry, roster, breaks) < before
    assert roster == shifts_before  # only the breaks move
    step = problem.interval_minutes
    for (agent_id, cell), offsets in breaks.items():
        assert cell in roster[agent_id]
        rules = problem.templates[cell.template].breaks
        assert len(offsets) == len(rules)
        for offset, rule in zip(offsets, rules, strict=True):
            assert rule.earliest_start_minutes <= offset <= rule.latest_start_minutes
            assert offset % step == 0
    assert check_roster(problem, _shifts(problem, roster, breaks)) == []


def test_a_placement_that_cannot_be_bettered_is_left_alone() -> None:
    problem = site_problem(example_problem(agents=24, weeks=1), "east")
    geometry = Geometry(problem)
    roster, breaks = bunched(problem, geometry)
    _place(problem, geometry, roster, breaks)
    placed = {key: list(offsets) for key, offsets in breaks.items()}
    again = _place(problem, geometry, roster, breaks)
    assert not again
    assert breaks == placed


def test_improvement_starts_from_the_breaks_it_is_given() -> None:
    # With no pass to make, the roster's breaks come back as given, not re-chosen.
    problem = site_problem(example_problem(agents=24, weeks=1), "south")
    geometry = Geometry(problem)
    roster, breaks = bunched(problem, geometry)
    latest = {
        key: [rule.latest_start_minutes for rule in problem.templates[key[1].template].breaks]
        for key in breaks
    }
    open_cells = {agent_id: set(geometry.cells) for agent_id in roster}
    returned = improve_roster(
        problem,
        geometry,
        open_cells,
        roster,
        weights=WEIGHTS,
        keep_going=lambda: False,
        workers=WORKERS,
        breaks=latest,
    )
    assert returned == latest
    assert returned != breaks  # the earliest slots would have been a different answer


def test_a_deeper_shortage_is_worth_a_little_more_to_fill() -> None:
    # Short by 1, 2, 4 and 9 agents, exactly staffed, one over.
    site = _Site(present=np.zeros(6), required=np.array([1.0, 2.0, 4.0, 9.0, 0.0, -1.0]))
    gain = _gain(site, WEIGHTS)
    assert gain[0] == WEIGHTS.under_staffing
    assert gain[0] < gain[1] < gain[2]
    assert gain[2] == gain[3]  # capped: a deep hole does not outweigh filling another
    assert gain[3] - gain[0] < WEIGHTS.under_staffing / 10  # a tie-breaker, not a new weight
    assert gain[4] == gain[5] == -WEIGHTS.over_staffing
