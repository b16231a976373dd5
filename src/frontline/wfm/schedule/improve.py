"""Agent-by-agent improvement of a roster: each agent in turn takes the shifts that best
fill what the others leave uncovered, within the agent's own rules.

Each step is a small CP-SAT model of one agent (:func:`add_agent_rules`, the same rules
as the full model) whose objective is linear: a shift is worth the intervals it would
move out of under-staffing, less the intervals it would over-staff. A step never makes
the roster worse, so passes can stop at any time.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from frontline.wfm.schedule.inputs import Agent, ScheduleProblem
from frontline.wfm.schedule.model import Cell, Geometry, Weights, add_agent_rules

__all__ = ["improve_roster"]

# A 30-minute break in an 8-hour shift keeps an agent on the phones about 94% of it;
# the breaks are placed exactly later, by the full model.
_ON_PHONE_SHARE = 0.94


def coverage(
    problem: ScheduleProblem, geometry: Geometry, roster: Mapping[str, set[Cell]], site: str
) -> NDArray[np.float64]:
    """Agents present per interval at ``site`` (breaks not subtracted)."""
    present = np.zeros(problem.intervals)
    for agent in problem.agents:
        if agent.site == site:
            for cell in roster[agent.id]:
                span = geometry.intervals(cell.start, cell.end)
                present[span.start : span.stop] += 1
    return present


def improve_roster(
    problem: ScheduleProblem,
    geometry: Geometry,
    open_cells: Mapping[str, Collection[Cell]],
    roster: dict[str, set[Cell]],
    *,
    weights: Weights,
    keep_going: Callable[[], bool],
    workers: int,
    on_pass: Callable[[int, float], None] | None = None,
) -> dict[str, set[Cell]]:
    """Passes over the agents while ``keep_going()`` and a pass still helps."""
    late: dict[str, set[Cell]] = {}
    for request in problem.requests:
        if not problem.is_timely(request):
            late.setdefault(request.agent_id, set()).update(geometry.request_cells(request))
    present = {site: coverage(problem, geometry, roster, site) for site in problem.sites}
    required = {site: np.asarray(problem.requirement[site], float) for site in problem.sites}
    improved, passes = True, 0
    while improved and keep_going():
        improved = False
        for agent in problem.agents:
            if not keep_going():
                break
            here = present[agent.site]
            _add(geometry, roster[agent.id], here, -1)
            # Shortfall without this agent, breaks counted as a share of each shift.
            short = required[agent.site] - here * _ON_PHONE_SHARE
            # Refusing a late request costs a little; a probationer gains beside the mentor.
            extra = dict.fromkeys(late.get(agent.id, ()), -weights.late_request_refused)
            if agent.mentor_id is not None:
                for cell in roster[agent.mentor_id]:
                    extra[cell] = extra.get(cell, 0) + weights.probationer_without_mentor
            best = _best_response(
                geometry,
                agent,
                open_cells[agent.id],
                short=short,
                extra=extra,
                weights=weights,
                workers=workers,
            )
            if best is not None and best != roster[agent.id]:
                improved = improved or _value(geometry, best, short, weights) > _value(
                    geometry, roster[agent.id], short, weights
                )
                roster[agent.id] = best
            _add(geometry, roster[agent.id], here, +1)
        passes += 1
        if on_pass is not None:
            on_pass(passes, _shortfall(present, required))
    return roster


def _shortfall(
    present: Mapping[str, NDArray[np.float64]], required: Mapping[str, NDArray[np.float64]]
) -> float:
    return sum(float(np.maximum(required[s] - present[s], 0).sum()) for s in present)


def _add(geometry: Geometry, cells: set[Cell], present: NDArray[np.float64], sign: int) -> None:
    for cell in cells:
        span = geometry.intervals(cell.start, cell.end)
        present[span.start : span.stop] += sign


def _value(
    geometry: Geometry, cells: Collection[Cell], short: NDArray[np.float64], weights: Weights
) -> float:
    return sum(_cell_value(geometry, cell, short, weights) for cell in cells)


def _cell_value(
    geometry: Geometry, cell: Cell, short: NDArray[np.float64], weights: Weights
) -> int:
    span = geometry.intervals(cell.start, cell.end)
    needed = short[span.start : span.stop] > 0.5
    helped = int(np.count_nonzero(needed))
    return weights.under_staffing * helped - weights.over_staffing * (len(span) - helped)


def _best_response(
    geometry: Geometry,
    agent: Agent,
    open_cells: Collection[Cell],
    *,
    short: NDArray[np.float64],
    extra: Mapping[Cell, int],
    weights: Weights,
    workers: int,
) -> set[Cell] | None:
    model = cp_model.CpModel()
    shifts = {cell: model.new_bool_var("") for cell in open_cells}
    add_agent_rules(model, geometry, agent, shifts)
    model.maximize(
        sum(
            (_cell_value(geometry, cell, short, weights) + extra.get(cell, 0)) * var
            for cell, var in shifts.items()
        )
    )
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = 2.0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {cell for cell, var in shifts.items() if solver.boolean_value(var)}
