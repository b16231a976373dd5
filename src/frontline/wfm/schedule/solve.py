"""Build a roster: check each agent's rules, bound the under-staffing, search, verify.

The pipeline, per site (sites share no agents, so they are independent):

1. each agent's rules and timely day-off requests are checked alone (``diagnose``);
2. the LP relaxation of the model (GLOP) gives a lower bound on under-staffing;
3. a greedy start, then agent-by-agent CP-SAT improvement (``improve``), each pass
   followed by every break placed at once (``breaks``);
4. neighbourhood search: CP-SAT re-plans every agent over a few days (``lns``);
5. every break placed at once again, then the full CP-SAT model with the shifts fixed
   starts from that placement;
6. off-phone work goes into the intervals with the most agents to spare;
7. :mod:`frontline.wfm.roster_check` re-checks every rule; only a clean roster is
   publishable.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

# A module, not names: roster_check reads this package's inputs while it is imported.
from frontline.wfm import roster_check
from frontline.wfm.schedule.breaks import place_breaks
from frontline.wfm.schedule.diagnose import AgentCheck, check_agents
from frontline.wfm.schedule.greedy import greedy_roster
from frontline.wfm.schedule.improve import Breaks, improve_roster
from frontline.wfm.schedule.inputs import (
    ScheduleInputError,
    ScheduleProblem,
    validate,
)
from frontline.wfm.schedule.lns import neighbourhood_search, on_phone, weighted_cost
from frontline.wfm.schedule.lp_bound import lp_lower_bound
from frontline.wfm.schedule.model import Cell, Geometry, Weights, build_model
from frontline.wfm.schedule.roster import RequestDecision, Shift, place_off_phone

__all__ = ["FairShare", "Progress", "ScheduleResult", "schedule", "site_problem"]

WORKERS = 8  # CP-SAT's portfolio needs its eight workers; fewer stall on this model
_BREAK_SECONDS = 10.0
_LP_SHARE = 0.3
_SINGLE_SHARE = 0.7
_PLACE_SECONDS = 5.0  # placing a site's breaks takes about a second


@dataclass(frozen=True, slots=True)
class Progress:
    """Where the search is: ``phase``, improving steps so far, the best under-staffing
    (agent-intervals) and the lower bound, seconds since the start."""

    phase: str
    steps: int
    under_staffing: int | None
    lower_bound: float | None
    elapsed_seconds: float


@dataclass(frozen=True, slots=True)
class FairShare:
    """Fewest and most nights and weekend shifts among a site's agents past probation."""

    nights: tuple[int, int]
    weekend_shifts: tuple[int, int]


@dataclass(frozen=True, slots=True)
class ScheduleResult:
    """A roster, how it covers the requirement and whether every rule was verified."""

    shifts: tuple[Shift, ...]
    on_phone: Mapping[str, tuple[int, ...]]
    required: Mapping[str, tuple[int, ...]]
    under_staffing: int
    over_staffing: int
    lp_lower_bound: float | None
    requests: tuple[RequestDecision, ...]
    violations: tuple[roster_check.Violation, ...]
    unplaced_off_phone_minutes: int
    solver_objective: float
    solver_bound: float
    elapsed_seconds: float
    fair_shares: Mapping[str, FairShare]

    @property
    def publishable(self) -> bool:
        return not self.violations

    @property
    def gap_to_lp(self) -> float | None:
        """(under-staffing - LP bound) / LP bound; 0 when both are 0."""
        if self.lp_lower_bound is None:
            return None
        if self.lp_lower_bound <= 0:
            return 0.0 if self.under_staffing == 0 else None
        return (self.under_staffing - self.lp_lower_bound) / self.lp_lower_bound

    @property
    def solver_gap(self) -> float:
        if self.solver_objective == 0:
            return 0.0
        return abs(self.solver_objective - self.solver_bound) / abs(self.solver_objective)


ProgressCallback = Callable[[Progress], None]


def schedule(
    problem: ScheduleProblem,
    *,
    time_limit_seconds: float = 100.0,
    progress: ProgressCallback | None = None,
    weights: Weights = Weights(),  # noqa: B008 - frozen, shared safely
    lp_bound: bool = True,
) -> ScheduleResult:
    """A verified roster for ``problem`` within about ``time_limit_seconds``.

    Raises :class:`ScheduleInputError` for input it cannot use and
    :class:`frontline.wfm.schedule.diagnose.ScheduleInfeasibleError` naming the rules
    that no roster can keep.
    """
    if time_limit_seconds <= 0:
        raise ScheduleInputError("time_limit_seconds", f"must be > 0, got {time_limit_seconds}")
    validate(problem)
    started = time.monotonic()
    report = _Reporter(progress, started)
    geometry = Geometry(problem)
    checks = check_agents(problem, geometry, WORKERS)
    report("checked rules", 0, None)
    deadline = started + time_limit_seconds
    closed = {agent_id: set(check.closed) for agent_id, check in checks.items()}
    lp_deadline = started + _LP_SHARE * time_limit_seconds
    bound = _lower_bound(problem, closed, lp_deadline) if lp_bound else None
    report.bound = bound
    roster: dict[str, set[Cell]] = {}
    breaks: dict[tuple[str, Cell], list[int]] = {}
    objective = solver_bound = 0.0
    sites = problem.sites
    for number, site in enumerate(sites):
        sub = site_problem(problem, site)
        # Time in proportion to the agents still to schedule: bigger sites need longer.
        waiting = sum(1 for a in problem.agents if a.site in sites[number:])
        share = (deadline - time.monotonic()) * len(sub.agents) / waiting
        site_roster, site_breaks, value, best = _solve_site(
            sub, closed, weights, time.monotonic() + share, report
        )
        roster.update(site_roster)
        breaks.update(site_breaks)
        objective += value
        solver_bound += best
    shifts = _shifts(problem, roster, breaks)
    on_phone, shifts, unplaced = place_off_phone(problem, shifts)
    decisions = _decisions(problem, geometry, roster, checks)
    violations = roster_check.check_roster(problem, shifts, decisions, on_phone)
    required = {site: tuple(problem.requirement[site]) for site in sites}
    under = sum(
        max(r - p, 0) for site in sites for r, p in zip(required[site], on_phone[site], strict=True)
    )
    over = sum(
        max(p - r, 0) for site in sites for r, p in zip(required[site], on_phone[site], strict=True)
    )
    report("verified", report.steps, under)
    return ScheduleResult(
        shifts=tuple(shifts),
        on_phone=on_phone,
        required=required,
        under_staffing=under,
        over_staffing=over,
        lp_lower_bound=bound,
        requests=decisions,
        violations=tuple(violations),
        unplaced_off_phone_minutes=unplaced,
        solver_objective=objective,
        solver_bound=solver_bound,
        elapsed_seconds=time.monotonic() - started,
        fair_shares=_fair_shares(problem, geometry, roster),
    )


class _Reporter:
    def __init__(self, callback: ProgressCallback | None, started: float) -> None:
        self.callback, self.started = callback, started
        self.steps = 0
        self.bound: float | None = None

    def __call__(self, phase: str, steps: int, under: int | None) -> None:
        self.steps = steps
        if self.callback is not None:
            elapsed = time.monotonic() - self.started
            self.callback(Progress(phase, steps, under, self.bound, elapsed))


def site_problem(problem: ScheduleProblem, site: str) -> ScheduleProblem:
    """The agents, requirement and requests of one site: sites share no agents."""
    agents = tuple(a for a in problem.agents if a.site == site)
    ids = {a.id for a in agents}
    return dataclasses.replace(
        problem,
        agents=agents,
        requirement={site: problem.requirement[site]},
        requests=tuple(r for r in problem.requests if r.agent_id in ids),
    )


def _lower_bound(
    problem: ScheduleProblem, closed: Mapping[str, set[Cell]], deadline: float
) -> float | None:
    """Sum over sites of the LP relaxation's least under-staffing.

    Agents alike in contract, probation and closed shifts are merged into one variable per
    shift counting how many of them work it: the relaxation's optimum is the same (any
    fractional roster of the agents averages into one of the group, and back), and GLOP
    solves it in seconds rather than minutes.
    """
    total = 0.0
    for number, site in enumerate(problem.sites):
        built = build_model(site_problem(problem, site), closed, Weights(), soft_rules=False)
        left = (deadline - time.monotonic()) / (len(problem.sites) - number)
        value = lp_lower_bound(built.model, built.under[site], max(left, 1.0))
        if value is None:
            return None
        total += value
    return total


def _improve(
    problem: ScheduleProblem,
    geometry: Geometry,
    open_cells: Mapping[str, set[Cell]] | Mapping[str, dict[Cell, cp_model.IntVar]],
    roster: dict[str, set[Cell]],
    *,
    weights: Weights,
    until: float,
    on_pass: Callable[[int, float], None],
) -> Breaks:
    """Agent-by-agent passes, each followed by every break placed at once, until a round
    gains nothing or ``until``; improves ``roster`` in place, returns its breaks.

    A pass gives each agent's breaks their cheapest slots against the others; placing
    them all together then undoes the bunching that leaves (see ``breaks``), and the next
    pass starts from those breaks.
    """
    required = np.asarray(problem.requirement[problem.sites[0]], dtype=np.int64)
    breaks: Breaks | None = None
    cost = None
    passes = [0]  # passes made in this round: one a round

    def one_pass(done: int, under: float) -> None:
        passes[0] = done
        on_pass(done, under)

    while True:
        passes[0] = 0
        breaks = improve_roster(
            problem,
            geometry,
            open_cells,
            roster,
            weights=weights,
            keep_going=lambda: passes[0] < 1 and time.monotonic() < until,
            workers=WORKERS,
            on_pass=one_pass,
            breaks=breaks,
        )
        place_breaks(
            problem,
            geometry,
            roster,
            breaks,
            weights=weights,
            deadline=min(until, time.monotonic() + _PLACE_SECONDS),
            workers=WORKERS,
        )
        now = weighted_cost(required, on_phone(geometry, roster, breaks), weights)
        if (cost is not None and now >= cost) or time.monotonic() >= until:
            return breaks
        cost = now


def _solve_site(
    problem: ScheduleProblem,
    closed: Mapping[str, set[Cell]],
    weights: Weights,
    deadline: float,
    report: _Reporter,
) -> tuple[dict[str, set[Cell]], dict[tuple[str, Cell], list[int]], float, float]:
    """The site's shifts, each shift's break offsets, the objective and CP-SAT's bound."""
    built = build_model(problem, closed, weights)
    geometry = built.geometry
    roster = greedy_roster(problem, geometry, built.shifts)
    site = problem.sites[0]

    def on_pass(passes: int, under: float) -> None:
        report(f"improving {site}", report.steps + 1, round(under))

    now = time.monotonic()
    breaks_from = deadline - min(_BREAK_SECONDS, 0.2 * (deadline - now))
    # Most of the time for single-agent moves, which gain most from the greedy start; the
    # rest for windows of days in which every agent moves at once.
    moves_until = now + _SINGLE_SHARE * (breaks_from - now)
    chosen = _improve(
        problem,
        geometry,
        built.shifts,
        roster,
        weights=weights,
        until=moves_until,
        on_pass=on_pass,
    )
    neighbourhood_search(
        problem,
        closed,
        roster,
        chosen,
        weights=weights,
        deadline=breaks_from,
        workers=WORKERS,
        on_better=lambda under: report(f"moving agents {site}", report.steps + 1, under),
    )
    # The windows re-place breaks only as far as their few seconds each reach.
    place_breaks(
        problem,
        geometry,
        roster,
        chosen,
        weights=weights,
        deadline=min(deadline, time.monotonic() + _PLACE_SECONDS),
        workers=WORKERS,
    )
    # The shifts are settled; the full model now only moves breaks, starting from the
    # placement above, and gives the objective and CP-SAT's bound.
    for agent_id, cells in built.shifts.items():
        for cell, var in cells.items():
            built.model.add(var == int(cell in roster[agent_id]))
    built.hint(roster, chosen)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = WORKERS
    solver.parameters.max_time_in_seconds = max(deadline - time.monotonic(), 2.0)
    status = solver.solve(built.model, _BreakProgress(built.under[site], report, site))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return roster, chosen, 0.0, 0.0  # no better placement found in time: keep ours
    _, breaks = built.roster(solver)
    return roster, breaks, solver.objective_value, solver.best_objective_bound


class _BreakProgress(cp_model.CpSolverSolutionCallback):
    def __init__(self, under: list[cp_model.IntVar], report: _Reporter, site: str) -> None:
        super().__init__()
        self.under, self.report, self.site = under, report, site

    def on_solution_callback(self) -> None:
        shortfall = sum(self.value(var) for var in self.under)
        self.report(f"placing breaks {self.site}", self.report.steps + 1, shortfall)


def _shifts(
    problem: ScheduleProblem,
    roster: Mapping[str, set[Cell]],
    breaks: Mapping[tuple[str, Cell], list[int]],
) -> list[Shift]:
    shifts = []
    for agent_id in sorted(roster):
        for cell in sorted(roster[agent_id]):
            template = problem.templates[cell.template]
            placed = tuple(
                (cell.start + offset, cell.start + offset + rule.length_minutes)
                for offset, rule in zip(breaks[agent_id, cell], template.breaks, strict=True)
            )
            shifts.append(Shift(agent_id, template.name, cell.start, cell.end, placed, ()))
    return shifts


def _fair_shares(
    problem: ScheduleProblem, geometry: Geometry, roster: Mapping[str, set[Cell]]
) -> dict[str, FairShare]:
    shares = {}
    for site in problem.sites:
        eligible = [a for a in problem.agents if a.site == site and a.works_nights_and_weekends]
        nights = [sum(geometry.night(c) for c in roster[a.id]) for a in eligible] or [0]
        weekends = [sum(geometry.weekend(c) for c in roster[a.id]) for a in eligible] or [0]
        shares[site] = FairShare((min(nights), max(nights)), (min(weekends), max(weekends)))
    return shares


def _decisions(
    problem: ScheduleProblem,
    geometry: Geometry,
    roster: Mapping[str, set[Cell]],
    checks: Mapping[str, AgentCheck],
) -> tuple[RequestDecision, ...]:
    decisions = []
    for request in problem.requests:
        refused = checks[request.agent_id].refused
        if request.id in refused:
            decisions.append(RequestDecision(request.id, False, refused[request.id]))
            continue
        worked = set(geometry.request_cells(request)) & roster[request.agent_id]
        if not worked:
            decisions.append(RequestDecision(request.id, True, "honoured"))
        else:
            deadline = problem.rules.request_deadline(problem.start)
            decisions.append(
                RequestDecision(
                    request.id,
                    False,
                    f"refused: filed {request.filed_on} after the deadline {deadline}, "
                    "and the agent is needed to cover the requirement that day",
                )
            )
    return tuple(decisions)
