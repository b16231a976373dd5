"""Large-neighbourhood search: free a few agents of a site, let CP-SAT re-plan their
shifts and breaks against what the others leave uncovered, keep the result if better.

Agent-by-agent improvement stops where no single agent can do better alone; moving
several agents at once (one to the morning, another to cover the evening it leaves)
gets past that. Each neighbourhood is the full model (``build_model``) of a handful of
agents whose requirement is the shortfall the other agents leave, so CP-SAT solves it in
a second or two.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from frontline.wfm.schedule.inputs import ScheduleProblem
from frontline.wfm.schedule.model import Cell, Geometry, ScheduleModel, Weights, build_model

__all__ = ["neighbourhood_search"]

Breaks = dict[tuple[str, Cell], list[int]]
_NEIGHBOURS = 8
_SECONDS = 3.0


def neighbourhood_search(
    problem: ScheduleProblem,
    closed: Mapping[str, set[Cell]],
    roster: dict[str, set[Cell]],
    breaks: Breaks,
    *,
    weights: Weights,
    deadline: float,
    workers: int,
    on_better: Callable[[int], None] | None = None,
) -> None:
    """Improve ``roster`` and ``breaks`` of a one-site problem in place until ``deadline``."""
    site = problem.sites[0]
    geometry = Geometry(problem)
    required = np.asarray(problem.requirement[site], dtype=np.int64)
    rng = np.random.default_rng(len(problem.agents))  # deterministic for a given site
    ids = [agent.id for agent in problem.agents]
    while time.monotonic() < deadline - 1.0:
        freed = set(rng.choice(ids, size=min(_NEIGHBOURS, len(ids)), replace=False).tolist())
        others = _on_phone(geometry, roster, breaks, exclude=freed)
        before = _cost(required - others, _on_phone(geometry, roster, breaks, only=freed), weights)
        residual = np.maximum(required - others, 0)
        sub = dataclasses.replace(
            problem,
            # A mentor outside the neighbourhood stays where it is; pairing is not re-planned.
            agents=tuple(
                a
                if a.mentor_id in freed or a.mentor_id is None
                else dataclasses.replace(a, mentor_id=None)
                for a in problem.agents
                if a.id in freed
            ),
            requirement={site: [int(v) for v in residual]},
            requests=tuple(r for r in problem.requests if r.agent_id in freed),
        )
        built = build_model(sub, closed, weights)
        solver = _solve_from(built, roster, breaks, workers, deadline)
        if solver is None:
            continue
        new_roster, new_breaks = built.roster(solver)
        after = _cost(
            required - others, _on_phone(geometry, new_roster, new_breaks, only=freed), weights
        )
        if after < before:
            roster.update(new_roster)
            breaks.update(new_breaks)
            for agent_id in freed:
                for key in [k for k in breaks if k[0] == agent_id and k[1] not in roster[agent_id]]:
                    del breaks[key]
            if on_better is not None:
                on_better(int(np.maximum(required - _on_phone(geometry, roster, breaks), 0).sum()))


def _solve_from(
    built: ScheduleModel,
    roster: Mapping[str, set[Cell]],
    breaks: Breaks,
    workers: int,
    deadline: float,
) -> cp_model.CpSolver | None:
    """CP-SAT's best within the time left, starting from the current shifts and breaks.

    CP-SAT barely follows a hint of the shifts alone on this model, so the hint is first
    completed (every variable, with the shifts fixed: a fraction of a second) and the
    search then starts from that whole solution.
    """
    built.hint(roster, breaks)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = max(min(_SECONDS, deadline - time.monotonic()), 0.5)
    solver.parameters.fix_variables_to_their_hinted_value = True
    if solver.solve(built.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    model = built.model
    model.clear_hints()  # type: ignore[no-untyped-call]  # unannotated in OR-Tools 9.15
    for index in range(len(model.proto.variables)):
        var = model.get_int_var_from_proto_index(index)
        model.add_hint(var, solver.value(var))
    solver.parameters.fix_variables_to_their_hinted_value = False
    solver.parameters.max_time_in_seconds = max(min(_SECONDS, deadline - time.monotonic()), 0.5)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return solver


def _cost(short: NDArray[np.int64], mine: NDArray[np.int64], weights: Weights) -> int:
    """Under- and over-staffing the freed agents leave, weighted as in the model."""
    gap = short - mine
    return int(
        weights.under_staffing * np.maximum(gap, 0).sum()
        + weights.over_staffing * np.maximum(-gap, 0).sum()
    )


def _on_phone(
    geometry: Geometry,
    roster: Mapping[str, set[Cell]],
    breaks: Breaks,
    *,
    exclude: set[str] | None = None,
    only: set[str] | None = None,
) -> NDArray[np.int64]:
    problem = geometry.problem
    counts = np.zeros(problem.intervals, dtype=np.int64)
    for agent_id, cells in roster.items():
        if (exclude and agent_id in exclude) or (only is not None and agent_id not in only):
            continue
        for cell in cells:
            span = geometry.intervals(cell.start, cell.end)
            counts[span.start : span.stop] += 1
            for offset, rule in zip(
                breaks[agent_id, cell], problem.templates[cell.template].breaks, strict=True
            ):
                away = geometry.intervals(
                    cell.start + offset, cell.start + offset + rule.length_minutes
                )
                counts[away.start : away.stop] -= 1
    return counts
