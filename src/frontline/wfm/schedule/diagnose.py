"""Which of an agent's rules and day-off requests cannot all hold, before the big solve.

Coverage, fairness and mentoring are soft, so the roster as a whole is feasible exactly
when every agent's own shifts can keep that agent's rules. Each agent is checked alone in
a small CP-SAT model whose rule groups are each guarded by a literal; when the model is
infeasible, CP-SAT's sufficient assumptions name the groups that conflict. Agents alike
in contract, probation and requests share one check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from frontline.wfm.schedule.inputs import Agent, DayOffRequest, ScheduleProblem
from frontline.wfm.schedule.model import RULES, Cell, Geometry, add_agent_rules, rule_name

__all__ = ["AgentCheck", "ScheduleInfeasibleError", "check_agents"]

_CHECK_SECONDS = 5.0


class ScheduleInfeasibleError(ValueError):
    """No roster keeps the rules; ``constraints`` names the rule groups that conflict."""

    def __init__(self, agent_id: str, constraints: Sequence[str]) -> None:
        joined = " and ".join(constraints)
        super().__init__(f"agent {agent_id}: cannot meet {joined}")
        self.agent_id = agent_id
        self.constraints = tuple(constraints)


@dataclass(frozen=True, slots=True)
class AgentCheck:
    """Timely requests honoured (their cells closed) and refused, with the reason."""

    closed: frozenset[Cell]
    refused: dict[str, str]


def check_agents(
    problem: ScheduleProblem, geometry: Geometry, workers: int
) -> dict[str, AgentCheck]:
    timely: dict[str, list[DayOffRequest]] = {}
    for request in problem.requests:
        if problem.is_timely(request):
            timely.setdefault(request.agent_id, []).append(request)
    seen: dict[tuple[object, ...], AgentCheck] = {}
    checks = {}
    for agent in problem.agents:
        mine = timely.get(agent.id, [])
        key = (agent.contract_hours_per_week, agent.on_probation, tuple(r.day for r in mine))
        if key not in seen or mine:
            seen[key] = _check(problem, geometry, agent, mine, workers)
        checks[agent.id] = seen[key]
    return checks


def _check(
    problem: ScheduleProblem,
    geometry: Geometry,
    agent: Agent,
    requests: list[DayOffRequest],
    workers: int,
) -> AgentCheck:
    model = cp_model.CpModel()
    shifts = {cell: model.new_bool_var("") for cell in geometry.cells}
    guards = {rule: model.new_bool_var(rule) for rule in RULES}
    add_agent_rules(model, geometry, agent, shifts, lambda rule: [guards[rule]])
    asks = {request.id: model.new_bool_var(request.id) for request in requests}
    for request in requests:
        for cell in geometry.request_cells(request):
            model.add(shifts[cell] == 0).only_enforce_if(asks[request.id])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = _CHECK_SECONDS
    if _feasible(solver, model, [*guards.values(), *asks.values()]):
        return AgentCheck(_closed(geometry, requests), {})
    if not _feasible(solver, model, list(guards.values())):
        core = _core(solver, model, guards)
        raise ScheduleInfeasibleError(agent.id, [rule_name(r, problem, agent) for r in core])
    # The rules hold without the requests: honour as many as possible, refuse the rest.
    for guard in guards.values():
        model.add(guard == 1)
    model.maximize(sum(asks.values()))
    solver.solve(model)
    honoured = [r for r in requests if solver.boolean_value(asks[r.id])]
    refused = {}
    for request in requests:
        if request in honoured:
            continue
        # Still maximising: with every honoured request and this one assumed the model is
        # infeasible (else the maximum would have been higher), so the objective is moot.
        model.clear_assumptions()
        model.add_assumptions([asks[r.id] for r in [*honoured, request]])
        solver.solve(model)
        conflict = solver.sufficient_assumptions_for_infeasibility()
        others = [model.proto.variables[i].name for i in conflict if i != asks[request.id].index]
        reason = "together with " + ", ".join(others) if others else "on its own"
        refused[request.id] = (
            f"refused: with the agent's rules ({rule_name('weekly_hours', problem, agent)}, "
            f"{rule_name('max_consecutive_days', problem, agent)}) it cannot be honoured {reason}"
        )
    return AgentCheck(_closed(geometry, honoured), refused)


def _feasible(
    solver: cp_model.CpSolver, model: cp_model.CpModel, assumptions: list[cp_model.IntVar]
) -> bool:
    model.clear_assumptions()
    model.add_assumptions(assumptions)
    return solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _core(
    solver: cp_model.CpSolver, model: cp_model.CpModel, guards: dict[str, cp_model.IntVar]
) -> list[str]:
    names = {var.index: rule for rule, var in guards.items()}
    core = [names[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in names]
    return core or list(guards)


def _closed(geometry: Geometry, requests: Sequence[DayOffRequest]) -> frozenset[Cell]:
    return frozenset(cell for r in requests for cell in geometry.request_cells(r))
