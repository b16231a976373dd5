"""Every break of a site placed at once, the shifts fixed: a small CP-SAT model.

Agent-by-agent improvement gives each shift's breaks their cheapest slots against what
the other agents leave, one agent at a time; ties between slots are many (an interval
short or not is all that counts), so breaks bunch where the first agents put them. With
the shifts fixed, only how many agents on each (day, template) take each break in each
slot matters (agents on one shift are interchangeable for coverage), so the model has a
few thousand integers and no agent at all, and CP-SAT places every break of a four-week
site against the whole coverage in about a second. On the example's sites that took 60
to 80 agent-intervals of under-staffing off the roster agent-by-agent improvement and
the windows of days had left.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping

import numpy as np
from ortools.sat.python import cp_model

from frontline.wfm.schedule.improve import Breaks
from frontline.wfm.schedule.inputs import BreakRule, ScheduleProblem
from frontline.wfm.schedule.lns import on_phone, weighted_cost
from frontline.wfm.schedule.model import Cell, Geometry, Weights

__all__ = ["place_breaks"]


def place_breaks(
    problem: ScheduleProblem,
    geometry: Geometry,
    roster: Mapping[str, set[Cell]],
    breaks: Breaks,
    *,
    weights: Weights,
    deadline: float,
    workers: int,
) -> bool:
    """Re-place the breaks of a one-site ``roster`` in place, starting from ``breaks``;
    whether coverage got better (weighted as in the full model)."""
    staffed: dict[Cell, list[str]] = {}
    for agent_id in sorted(roster):
        for cell in sorted(roster[agent_id]):
            staffed.setdefault(cell, []).append(agent_id)
    model, taking = _model(problem, geometry, staffed, breaks, weights)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = max(deadline - time.monotonic(), 0.5)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    placed: Breaks = {}
    for cell, agents in staffed.items():
        for number, rule in enumerate(problem.templates[cell.template].breaks):
            offsets = [
                offset
                for offset in _slots(problem, rule)
                for _ in range(solver.value(taking[cell, number, offset]))
            ]
            for agent_id, offset in zip(agents, offsets, strict=True):
                placed.setdefault((agent_id, cell), []).append(offset)
    required = np.asarray(problem.requirement[problem.sites[0]], dtype=np.int64)
    before = weighted_cost(required, on_phone(geometry, roster, breaks), weights)
    if weighted_cost(required, on_phone(geometry, roster, placed), weights) >= before:
        return False
    breaks.update(placed)
    return True


def _slots(problem: ScheduleProblem, rule: BreakRule) -> range:
    """A break's possible offsets from its shift's start."""
    step = problem.interval_minutes
    return range(rule.earliest_start_minutes, rule.latest_start_minutes + 1, step)


def _model(
    problem: ScheduleProblem,
    geometry: Geometry,
    staffed: Mapping[Cell, list[str]],
    breaks: Breaks,
    weights: Weights,
) -> tuple[cp_model.CpModel, dict[tuple[Cell, int, int], cp_model.IntVar]]:
    """The model of how many agents of each shift take each break in each slot, hinted
    with ``breaks``, and those counts."""
    present = np.zeros(problem.intervals, dtype=np.int64)
    model = cp_model.CpModel()
    away: list[list[cp_model.IntVar]] = [[] for _ in range(problem.intervals)]
    taking: dict[tuple[Cell, int, int], cp_model.IntVar] = {}
    for cell, agents in staffed.items():
        span = geometry.intervals(cell.start, cell.end)
        present[span.start : span.stop] += len(agents)
        for number, rule in enumerate(problem.templates[cell.template].breaks):
            now = Counter(breaks[agent_id, cell][number] for agent_id in agents)
            slots = []
            for offset in _slots(problem, rule):
                var = model.new_int_var(0, len(agents), "")
                model.add_hint(var, now[offset])
                taking[cell, number, offset] = var
                slots.append(var)
                begin = cell.start + offset
                for i in geometry.intervals(begin, begin + rule.length_minutes):
                    away[i].append(var)
            model.add(cp_model.LinearExpr.sum(slots) == len(agents))
    required = problem.requirement[problem.sites[0]]
    cost: list[cp_model.LinearExprT] = []
    for i, gone in enumerate(away):
        if not gone:
            continue  # nobody's break can fall here: the coverage is fixed
        short = model.new_int_var(0, max(required[i], 0), "")
        spare = model.new_int_var(0, int(present[i]), "")
        model.add(int(present[i]) - cp_model.LinearExpr.sum(gone) - required[i] == spare - short)
        cost.append(weights.under_staffing * short + weights.over_staffing * spare)
    model.minimize(cp_model.LinearExpr.sum(cost))
    return model, taking
