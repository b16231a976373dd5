"""The LP relaxation of the schedule model, solved with GLOP: a lower bound on
under-staffing that no roster can beat.

Read straight from the CP-SAT model's proto (every constraint there is linear), so the
relaxation is of exactly the model that is solved, with the objective replaced by the
under-staffing alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from ortools.linear_solver import pywraplp  # type: ignore[import-untyped]  # no py.typed
from ortools.sat.python import cp_model

__all__ = ["lp_lower_bound"]

_INT64_MAX = 2**63 - 1


def lp_lower_bound(
    model: cp_model.CpModel, objective: Iterable[cp_model.IntVar], time_limit_seconds: float
) -> float | None:
    """The least sum of ``objective`` over the relaxation, or None when GLOP gave none."""
    proto = model.proto
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    solver.SetTimeLimit(max(1, round(time_limit_seconds * 1000)))
    infinity = solver.infinity()
    variables = [
        solver.NumVar(
            _bound(v.domain[0], infinity), _bound(v.domain[len(v.domain) - 1], infinity), ""
        )
        for v in proto.variables
    ]
    for constraint in proto.constraints:
        if constraint.enforcement_literal or not constraint.has_linear():
            continue  # the full model has none; guarded rules belong to the diagnosis
        linear = constraint.linear
        row = solver.Constraint(
            _bound(linear.domain[0], infinity),
            _bound(linear.domain[len(linear.domain) - 1], infinity),
        )
        for index, coefficient in zip(linear.vars, linear.coeffs, strict=True):
            row.SetCoefficient(variables[index], coefficient)
    goal = solver.Objective()
    for var in objective:
        goal.SetCoefficient(variables[var.index], 1)
    goal.SetMinimization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return float(goal.Value())


def _bound(value: int, infinity: float) -> float:
    if value >= _INT64_MAX:
        return infinity
    if value <= -_INT64_MAX:
        return -infinity
    return float(value)
