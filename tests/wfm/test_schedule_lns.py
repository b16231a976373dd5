"""Windows of days in which every agent of a site moves at once: the roster they leave
keeps every rule (by the independent check) and never covers worse."""

from __future__ import annotations

import time

import numpy as np

from frontline.wfm.roster_check import check_roster
from frontline.wfm.schedule import Weights
from frontline.wfm.schedule.diagnose import check_agents
from frontline.wfm.schedule.example import example_problem
from frontline.wfm.schedule.greedy import greedy_roster
from frontline.wfm.schedule.improve import improve_roster
from frontline.wfm.schedule.lns import neighbourhood_search
from frontline.wfm.schedule.model import Cell, Geometry, build_model
from frontline.wfm.schedule.roster import on_phone_counts
from frontline.wfm.schedule.solve import WORKERS, _shifts, site_problem

WEIGHTS = Weights()


def weighted_cost(required: np.ndarray, on_phone: np.ndarray) -> int:
    gap = required - on_phone
    return int(
        WEIGHTS.under_staffing * np.maximum(gap, 0).sum()
        + WEIGHTS.over_staffing * np.maximum(-gap, 0).sum()
    )


def test_windows_keep_the_rules_and_never_cover_worse() -> None:
    problem = site_problem(example_problem(agents=24, weeks=2), "north")
    site = problem.sites[0]
    geometry = Geometry(problem)
    checks = check_agents(problem, geometry, WORKERS)
    closed: dict[str, set[Cell]] = {a: set(c.closed) for a, c in checks.items()}
    built = build_model(problem, closed, WEIGHTS)
    roster = greedy_roster(problem, geometry, built.shifts)
    passes = iter(range(2))  # two passes: a rule-clean start, not yet a local optimum
    breaks = improve_roster(
        problem,
        geometry,
        built.shifts,
        roster,
        weights=WEIGHTS,
        keep_going=lambda: next(passes, None) is not None,
        workers=WORKERS,
    )
    required = np.asarray(problem.requirement[site])
    start_shifts = _shifts(problem, roster, breaks)
    assert check_roster(problem, start_shifts) == []
    before = weighted_cost(required, on_phone_counts(problem, start_shifts)[site])
    improvements: list[int] = []
    neighbourhood_search(
        problem,
        closed,
        roster,
        breaks,
        weights=WEIGHTS,
        deadline=time.monotonic() + 12.0,
        workers=WORKERS,
        on_better=improvements.append,
    )
    shifts = _shifts(problem, roster, breaks)
    assert check_roster(problem, shifts) == []
    after = weighted_cost(required, on_phone_counts(problem, shifts)[site])
    assert after <= before
    # Each reported improvement is the roster's under-staffing at that moment.
    if improvements:
        assert improvements[-1] == int(
            np.maximum(required - on_phone_counts(problem, shifts)[site], 0).sum()
        )
