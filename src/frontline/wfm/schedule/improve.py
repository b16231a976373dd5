"""Agent-by-agent improvement of a roster: each agent in turn takes the shifts (and the
break slots) that best fill what the others leave uncovered, within the agent's rules.

Each step is a small CP-SAT model of one agent (:func:`add_agent_rules`, the same rules
as the full model) whose objective is linear: a shift is worth the intervals it would
move out of under-staffing, less those it would over-staff, less what its breaks cost in
their cheapest slots. A step never makes the roster worse, so passes can stop at any
time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from frontline.wfm.schedule.inputs import Agent, ScheduleProblem
from frontline.wfm.schedule.model import Cell, Geometry, Weights, add_agent_rules

__all__ = ["Breaks", "improve_roster"]

Breaks = dict[tuple[str, Cell], list[int]]  # break offsets from shift start, per shift
_STEP_SECONDS = 2.0
_STEP_WORKERS = 1  # a one-agent model is solved to optimality faster by one worker
_DEPTH_BONUS = 3  # per agent an interval is short beyond the first; ties only, next to 100
_DEPTH_CAP = 3


@dataclass
class _Site:
    """Agents on the phones per interval, and the shortfall against the requirement."""

    present: NDArray[np.float64]
    required: NDArray[np.float64]


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
    breaks: Breaks | None = None,
) -> Breaks:
    """Passes over the agents while ``keep_going()`` and a pass still helps; improves
    ``roster`` in place and returns each shift's break offsets. ``breaks`` are the
    roster's breaks to start from; without them each shift's breaks start in their
    cheapest slots, agent by agent."""
    late: dict[str, set[Cell]] = {}
    for request in problem.requests:
        if not problem.is_timely(request):
            late.setdefault(request.agent_id, set()).update(geometry.request_cells(request))
    sites = {
        site: _Site(np.zeros(problem.intervals), np.asarray(problem.requirement[site], float))
        for site in problem.sites
    }
    given = breaks
    breaks = {}
    for agent in problem.agents:
        gain = _gain(sites[agent.site], weights)
        for cell in roster[agent.id]:
            if given is not None:
                breaks[agent.id, cell] = list(given[agent.id, cell])
            else:
                breaks[agent.id, cell] = _cheapest_breaks(problem, geometry, cell, gain)[1]
        _add(
            geometry, agent.id, roster[agent.id], breaks, present=sites[agent.site].present, sign=+1
        )
    improved, passes = True, 0
    while improved and keep_going():
        improved = False
        shares = _fair_shares(problem, geometry, roster)
        for agent in problem.agents:
            if not keep_going():
                break
            site = sites[agent.site]
            _add(geometry, agent.id, roster[agent.id], breaks, present=site.present, sign=-1)
            improved |= _step(
                problem,
                geometry,
                agent,
                open_cells=open_cells[agent.id],
                roster=roster,
                breaks=breaks,
                late=late.get(agent.id, set()),
                gain=_gain(site, weights),
                share=shares[agent.site] if agent.works_nights_and_weekends else None,
                weights=weights,
                workers=workers,
            )
            _add(geometry, agent.id, roster[agent.id], breaks, present=site.present, sign=+1)
        passes += 1
        if on_pass is not None:
            on_pass(passes, _shortfall(sites))
    return {key: offsets for key, offsets in breaks.items() if key[1] in roster[key[0]]}


def _step(
    problem: ScheduleProblem,
    geometry: Geometry,
    agent: Agent,
    *,
    open_cells: Collection[Cell],
    roster: dict[str, set[Cell]],
    breaks: Breaks,
    late: set[Cell],
    gain: NDArray[np.float64],
    share: tuple[float, float] | None,
    weights: Weights,
    workers: int,
) -> bool:
    """The agent's best shifts against what the others leave; whether they changed."""
    values, cheapest = {}, {}
    for cell in open_cells:
        worth, cheapest[cell] = _cheapest_breaks(problem, geometry, cell, gain)
        span = geometry.intervals(cell.start, cell.end)
        values[cell] = float(gain[span.start : span.stop].sum()) - worth
    # Refusing a late request costs a little; a probationer gains beside the mentor.
    for cell in late & values.keys():
        values[cell] -= weights.late_request_refused
    if agent.mentor_id is not None:
        for cell in roster[agent.mentor_id] & values.keys():
            values[cell] += weights.probationer_without_mentor
    fair = _Fairness(geometry, share, weights.fairness_spread)
    before = sum(values[cell] for cell in roster[agent.id]) - fair.penalty(roster[agent.id])
    best = _best_response(geometry, agent, values, fair, workers)
    changed = best is not None and sum(values[c] for c in best) - fair.penalty(best) > before + 1e-9
    if best is not None and changed:
        roster[agent.id] = best
    for cell in roster[agent.id]:
        breaks[agent.id, cell] = cheapest[cell]
    return changed


def _gain(site: _Site, weights: Weights) -> NDArray[np.float64]:
    """What one more agent on the phones is worth in each interval.

    Every short interval is worth the under-staffing weight, plus a little more the
    deeper it is short (up to ``_DEPTH_CAP`` agents): among shifts that fill as many
    short intervals, an agent then takes the one where the shortage is deepest and
    leaves the shallow gaps, which the next agents' shifts can still close. Without it
    the passes stopped at 572–579 agent-intervals short on the example's south site,
    with it at 537 (LP bound 477).
    """
    short = site.required - site.present
    depth = np.minimum(short - 1, _DEPTH_CAP) * _DEPTH_BONUS
    return np.where(
        short >= 1, float(weights.under_staffing) + depth, -float(weights.over_staffing)
    )


def _cheapest_breaks(
    problem: ScheduleProblem, geometry: Geometry, cell: Cell, gain: NDArray[np.float64]
) -> tuple[float, list[int]]:
    """The least coverage value the shift's breaks can take away, and their offsets."""
    template = problem.templates[cell.template]
    total, offsets = 0.0, []
    for rule in template.breaks:
        options = []
        for offset in range(
            rule.earliest_start_minutes, rule.latest_start_minutes + 1, problem.interval_minutes
        ):
            span = geometry.intervals(
                cell.start + offset, cell.start + offset + rule.length_minutes
            )
            options.append((float(gain[span.start : span.stop].sum()), offset))
        worth, offset = min(options)
        total += worth
        offsets.append(offset)
    return total, offsets


def _shortfall(sites: Mapping[str, _Site]) -> float:
    return sum(float(np.maximum(s.required - s.present, 0).sum()) for s in sites.values())


def _add(
    geometry: Geometry,
    agent_id: str,
    cells: set[Cell],
    breaks: Breaks,
    *,
    present: NDArray[np.float64],
    sign: int,
) -> None:
    problem = geometry.problem
    for cell in cells:
        span = geometry.intervals(cell.start, cell.end)
        present[span.start : span.stop] += sign
        for offset, rule in zip(
            breaks[agent_id, cell], problem.templates[cell.template].breaks, strict=True
        ):
            away = geometry.intervals(
                cell.start + offset, cell.start + offset + rule.length_minutes
            )
            present[away.start : away.stop] -= sign


def _fair_shares(
    problem: ScheduleProblem, geometry: Geometry, roster: Mapping[str, set[Cell]]
) -> dict[str, tuple[float, float]]:
    """Per site, the mean nights and weekend shifts of the agents past probation."""
    shares = {}
    for site in problem.sites:
        eligible = [a for a in problem.agents if a.site == site and a.works_nights_and_weekends]
        count = max(len(eligible), 1)
        nights = sum(geometry.night(c) for a in eligible for c in roster[a.id])
        weekends = sum(geometry.weekend(c) for a in eligible for c in roster[a.id])
        shares[site] = (nights / count, weekends / count)
    return shares


class _Fairness:
    """How far an agent's nights and weekend shifts stray from the site's mean share,
    weighted as the full model weighs the spread."""

    def __init__(self, geometry: Geometry, share: tuple[float, float] | None, weight: int) -> None:
        self.kinds = (geometry.night, geometry.weekend)
        self.share, self.weight = share, weight

    def penalty(self, cells: Collection[Cell]) -> float:
        if self.share is None:
            return 0.0
        total = 0.0
        for kind, mean in zip(self.kinds, self.share, strict=True):
            count = sum(1 for cell in cells if kind(cell))
            total += max(count - math.ceil(mean), math.floor(mean) - count, 0)
        return self.weight * total

    def add_to(
        self, model: cp_model.CpModel, shifts: Mapping[Cell, cp_model.IntVar]
    ) -> cp_model.LinearExpr:
        terms: list[cp_model.IntVar] = []
        if self.share is None:
            return cp_model.LinearExpr.sum(terms)
        for kind, mean in zip(self.kinds, self.share, strict=True):
            count = cp_model.LinearExpr.sum([v for c, v in shifts.items() if kind(c)])
            off = model.new_int_var(0, len(shifts), "")
            model.add(off >= count - math.ceil(mean))
            model.add(off >= math.floor(mean) - count)
            terms.append(off)
        return cp_model.LinearExpr.weighted_sum(terms, [self.weight] * len(terms))


def _best_response(
    geometry: Geometry,
    agent: Agent,
    values: Mapping[Cell, float],
    fair: _Fairness,
    workers: int,
) -> set[Cell] | None:
    model = cp_model.CpModel()
    shifts = {cell: model.new_bool_var("") for cell in values}
    add_agent_rules(model, geometry, agent, shifts)
    # CP-SAT wants integer coefficients; values are whole multiples of the weights.
    model.maximize(
        cp_model.LinearExpr.weighted_sum(
            list(shifts.values()), [round(values[cell]) for cell in shifts]
        )
        - fair.add_to(model, shifts)
    )
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = min(workers, _STEP_WORKERS)
    solver.parameters.max_time_in_seconds = _STEP_SECONDS
    # Presolve costs more than it saves on a one-agent model solved hundreds of times a
    # pass: without it a pass over the example's east site takes about a third less time
    # (the optimum is the same; among equal optima another may be returned).
    solver.parameters.cp_model_presolve = False
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {cell for cell, var in shifts.items() if solver.boolean_value(var)}
