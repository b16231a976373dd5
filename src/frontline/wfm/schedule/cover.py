"""Where the gap lies: a covering plan of whole shifts, with the agents' rules as totals.

A MIP over one integer per (day, template) of a site — not per agent — with the breaks
as counts per possible start (as in the full model), solved with SCIP through OR-Tools'
linear solver. The agents' own rules enter only as sums: heads per day, agents past
probation for night and weekend shifts, the paid intervals a week the contracts allow,
and at most ``max_consecutive_days`` working days in any window of one more. Every
roster gives such a plan, so the plan's optimum is what whole shifts could reach if
only the totals bound the agents; SCIP solves it in seconds.

Set beside the LP bound and the roster (``bench/schedule.py`` does), it splits the gap:
plan minus LP bound is the cost of whole shifts, roster minus plan the cost of each
agent's own rules plus what the search leaves. It is not a stage of :func:`schedule`:
handing a plan's shifts out to the agents (each agent in turn taking the shifts the plan
still wants) left the example's east site at 915 agent-intervals short against 898 for
the coverage-driven improvement in the same 50 s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ortools.linear_solver import pywraplp  # type: ignore[import-untyped]  # no py.typed

from frontline.wfm.schedule.inputs import DAYS_PER_WEEK, ScheduleProblem
from frontline.wfm.schedule.model import (
    Cell,
    Geometry,
    Weights,
    forbidden_by_probation,
    weekly_bounds,
)

__all__ = ["ShiftPlan", "plan_shifts"]


@dataclass(frozen=True, slots=True)
class ShiftPlan:
    """Agents planned per (day, template), the plan's under- and over-staffing, and
    whether SCIP proved it optimal (for the weighted objective) in time."""

    counts: Mapping[Cell, int]
    under_staffing: int
    over_staffing: int
    optimal: bool


def plan_shifts(
    problem: ScheduleProblem,
    geometry: Geometry,
    closed: Mapping[str, set[Cell]],
    *,
    weights: Weights,
    time_limit_seconds: float,
) -> ShiftPlan | None:
    """The plan of a one-site problem, or None when SCIP found none in time."""
    solver = pywraplp.Solver.CreateSolver("SCIP")
    if solver is None:
        return None
    solver.SetTimeLimit(max(1, round(time_limit_seconds * 1000)))
    site = problem.sites[0]
    agents = problem.agents
    # Who may work each cell: not closed by an honoured request, not barred by probation.
    barred = [closed.get(a.id, set()) | forbidden_by_probation(geometry, a) for a in agents]
    open_to = {cell: sum(1 for shut in barred if cell not in shut) for cell in geometry.cells}
    counts = {
        cell: solver.IntVar(0, open_to[cell], f"n_{cell.day}_{cell.template}")
        for cell in geometry.cells
        if open_to[cell]
    }
    on_phone: list[list[tuple[pywraplp.Variable, int]]] = [[] for _ in range(problem.intervals)]
    step = problem.interval_minutes
    for cell, count in counts.items():
        for i in geometry.intervals(cell.start, cell.end):
            on_phone[i].append((count, 1))
        for number, rule in enumerate(problem.templates[cell.template].breaks):
            taking = []
            for offset in range(rule.earliest_start_minutes, rule.latest_start_minutes + 1, step):
                var = solver.IntVar(
                    0, open_to[cell], f"b_{cell.day}_{cell.template}_{number}_{offset}"
                )
                taking.append(var)
                begin = cell.start + offset
                for i in geometry.intervals(begin, begin + rule.length_minutes):
                    on_phone[i].append((var, -1))
            solver.Add(solver.Sum(taking) == count)
    _add_totals(solver, problem, geometry, closed, counts)
    required = problem.requirement[site]
    under, over = [], []
    for i, terms in enumerate(on_phone):
        present = solver.Sum([var * sign for var, sign in terms]) if terms else 0
        short = solver.NumVar(0, required[i], f"u_{i}")
        spare = solver.NumVar(0, solver.infinity(), f"o_{i}")
        solver.Add(present - required[i] == spare - short)
        under.append(short)
        over.append(spare)
    solver.Minimize(
        weights.under_staffing * solver.Sum(under) + weights.over_staffing * solver.Sum(over)
    )
    status = solver.Solve()
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None
    return ShiftPlan(
        counts={cell: round(var.solution_value()) for cell, var in counts.items()},
        under_staffing=round(sum(var.solution_value() for var in under)),
        over_staffing=round(sum(var.solution_value() for var in over)),
        optimal=status == pywraplp.Solver.OPTIMAL,
    )


def _add_totals(
    solver: pywraplp.Solver,
    problem: ScheduleProblem,
    geometry: Geometry,
    closed: Mapping[str, set[Cell]],
    counts: Mapping[Cell, pywraplp.Variable],
) -> None:
    """The agents' rules summed over the site: necessary for a roster, not sufficient."""
    agents = problem.agents
    by_day: dict[int, list[Cell]] = {}
    for cell in counts:
        by_day.setdefault(cell.day, []).append(cell)
    seniors = sum(1 for agent in agents if agent.works_nights_and_weekends)
    for cells in by_day.values():
        heads = sum(
            1 for agent in agents if any(c not in closed.get(agent.id, set()) for c in cells)
        )
        solver.Add(solver.Sum([counts[c] for c in cells]) <= heads)
        restricted = [c for c in cells if geometry.night(c) or geometry.weekend(c)]
        if restricted:
            solver.Add(solver.Sum([counts[c] for c in restricted]) <= seniors)
    low = sum(weekly_bounds(problem, agent)[0] for agent in agents)
    high = sum(weekly_bounds(problem, agent)[1] for agent in agents)
    step = problem.interval_minutes
    for week in range(problem.weeks):
        paid = _weighted(
            solver,
            [
                (counts[c], (c.end - c.start) // step)
                for c in counts
                if c.day // DAYS_PER_WEEK == week
            ],
        )
        solver.Add(paid >= low)
        solver.Add(paid <= high)
    window = problem.rules.max_consecutive_days + 1
    for first in range(problem.days - window + 1):
        worked = [counts[c] for day in range(first, first + window) for c in by_day.get(day, [])]
        solver.Add(solver.Sum(worked) <= (window - 1) * len(agents))


def _weighted(
    solver: pywraplp.Solver, terms: Sequence[tuple[pywraplp.Variable, int]]
) -> pywraplp.LinearExpr:
    return solver.Sum([var * weight for var, weight in terms])
