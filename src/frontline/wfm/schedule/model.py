"""The CP-SAT model: one Boolean per agent, day and shift template.

Coverage is counted per site and interval through aggregate variables — the agents of a
site on a (day, template) and how many of them take each break in each possible slot —
so a coverage row has a handful of terms however many agents there are. Agents of one
group are interchangeable for coverage, so the break counts can be handed out to them
afterwards in any order (the classic implicit-break formulation). Every constraint is
linear, which lets :mod:`frontline.wfm.schedule.lp_bound` relax the very same model.

The rules an agent's own shifts must keep are added by :func:`add_agent_rules`, shared
with the per-agent feasibility check in :mod:`frontline.wfm.schedule.diagnose`, which
guards each rule with a literal so that CP-SAT can name the rules that conflict.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from frontline.wfm.schedule.inputs import (
    DAYS_PER_WEEK,
    MINUTES_PER_DAY,
    SATURDAY,
    Agent,
    DayOffRequest,
    ScheduleProblem,
)

__all__ = ["Cell", "Geometry", "ScheduleModel", "Weights", "add_agent_rules", "build_model"]


@dataclass(frozen=True, slots=True)
class Weights:
    """The objective's weights: one agent-interval of under-staffing outweighs a whole
    shift's worth of over-staffing, so coverage comes first."""

    under_staffing: int = 100
    over_staffing: int = 1
    late_request_refused: int = 40
    fairness_spread: int = 10
    overtime_interval: int = 2
    probationer_without_mentor: int = 3


@dataclass(frozen=True, slots=True, order=True)
class Cell:
    """A shift template on one day of the horizon; minutes from the first midnight."""

    day: int
    template: int
    start: int
    end: int


class Geometry:
    """Where each (day, template) lies in time and which pairs of them conflict."""

    def __init__(self, problem: ScheduleProblem) -> None:
        self.problem = problem
        self.cells = [
            Cell(day, index, day * MINUTES_PER_DAY + t.start_minute, 0)
            for day in range(problem.days)
            for index, t in enumerate(problem.templates)
        ]
        self.cells = [
            Cell(c.day, c.template, c.start, c.start + problem.templates[c.template].length_minutes)
            for c in self.cells
        ]
        self.horizon_minutes = problem.days * MINUTES_PER_DAY
        self._conflicts: list[tuple[Cell, Cell, bool]] | None = None

    def night(self, cell: Cell) -> bool:
        return self.problem.templates[cell.template].night

    def weekend(self, cell: Cell) -> bool:
        """Whether any minute of the shift falls on a Saturday or Sunday."""
        first = self.problem.start.weekday()
        last_minute = cell.end - 1
        return any(
            (first + day) % DAYS_PER_WEEK >= SATURDAY
            for day in range(cell.start // MINUTES_PER_DAY, last_minute // MINUTES_PER_DAY + 1)
        )

    def intervals(self, start: int, end: int) -> range:
        """Interval indices covering ``[start, end)``, clipped to the horizon."""
        step = self.problem.interval_minutes
        return range(start // step, min(end, self.horizon_minutes) // step)

    def touches_day(self, cell: Cell, day: int) -> bool:
        return cell.start < (day + 1) * MINUTES_PER_DAY and cell.end > day * MINUTES_PER_DAY

    def conflicts(self) -> list[tuple[Cell, Cell, bool]]:
        """Pairs of shifts on different days one agent cannot both work: ``True`` when
        they overlap, ``False`` when the rest between them is too short."""
        if self._conflicts is None:  # every agent's rules ask for them; find them once
            self._conflicts = list(self._find_conflicts())
        return self._conflicts

    def _find_conflicts(self) -> Iterator[tuple[Cell, Cell, bool]]:
        rest = round(self.problem.rules.min_rest_hours * 60)
        by_day: dict[int, list[Cell]] = {}
        for cell in self.cells:
            by_day.setdefault(cell.day, []).append(cell)
        for cell in self.cells:
            for later_day in range(cell.day + 1, cell.day + 3):
                for other in by_day.get(later_day, []):
                    if other.start < cell.end:
                        yield cell, other, True
                    elif other.start - cell.end < rest:
                        yield cell, other, False

    def request_cells(self, request: DayOffRequest) -> list[Cell]:
        day = (request.day - self.problem.start).days
        return [cell for cell in self.cells if self.touches_day(cell, day)]


def rule_name(rule: str, problem: ScheduleProblem, agent: Agent) -> str:
    """A rule group's name as a planner reads it, with its parameters."""
    rules = problem.rules
    names = {
        "weekly_hours": (
            f"weekly hours ({agent.contract_hours_per_week:g} ± "
            f"{rules.weekly_hours_tolerance:g} h by contract)"
        ),
        "min_rest": f"minimum rest of {rules.min_rest_hours:g} h between shifts",
        "max_consecutive_days": f"at most {rules.max_consecutive_days} consecutive working days",
        "probation": "no nights or weekends during probation",
    }
    return names.get(rule, rule)


RULES = ("weekly_hours", "min_rest", "max_consecutive_days", "probation")
Guard = Callable[[str], Sequence[cp_model.IntVar]]


def _unguarded(_rule: str) -> Sequence[cp_model.IntVar]:
    return ()


def forbidden_by_probation(geometry: Geometry, agent: Agent) -> set[Cell]:
    if agent.works_nights_and_weekends:
        return set()
    return {c for c in geometry.cells if geometry.night(c) or geometry.weekend(c)}


def add_agent_rules(
    model: cp_model.CpModel,
    geometry: Geometry,
    agent: Agent,
    shifts: Mapping[Cell, cp_model.IntVar],
    guard: Guard = _unguarded,
    *,
    count: int = 1,
) -> None:
    """The rules on one agent's shifts; ``guard(rule)`` gives the literals enforcing each
    (none: always enforced). Cells missing from ``shifts`` are not open to the agent.

    ``count`` > 1 stands for that many identical agents whose shift variables count how
    many of them work each cell: every limit scales with it. Only the LP bound uses this
    (the relaxation of identical agents equals the relaxation of their sum)."""
    problem = geometry.problem
    by_day: dict[int, list[cp_model.IntVar]] = {}
    for cell, var in shifts.items():
        by_day.setdefault(cell.day, []).append(var)
    worked = [cp_model.LinearExpr.sum(by_day.get(day, [])) for day in range(problem.days)]
    for same_day in by_day.values():
        model.add(cp_model.LinearExpr.sum(same_day) <= count)  # structural, never relaxed
    for first, second, overlap in geometry.conflicts():
        if first in shifts and second in shifts:
            pair = model.add(shifts[first] + shifts[second] <= count)
            if not overlap:
                pair.only_enforce_if(guard("min_rest"))
    window = problem.rules.max_consecutive_days + 1
    for day in range(problem.days - window + 1):
        model.add(
            cp_model.LinearExpr.sum(worked[day : day + window]) <= (window - 1) * count
        ).only_enforce_if(guard("max_consecutive_days"))
    low, high = weekly_bounds(problem, agent)
    for week in range(problem.weeks):
        minutes = sum(
            (cell.end - cell.start) // problem.interval_minutes * var
            for cell, var in shifts.items()
            if week * DAYS_PER_WEEK <= cell.day < (week + 1) * DAYS_PER_WEEK
        )
        model.add_linear_constraint(minutes, low * count, high * count).only_enforce_if(
            guard("weekly_hours")
        )
    for cell in forbidden_by_probation(geometry, agent) & shifts.keys():
        model.add(shifts[cell] == 0).only_enforce_if(guard("probation"))


def weekly_bounds(problem: ScheduleProblem, agent: Agent) -> tuple[int, int]:
    """Paid intervals a week may hold: contract hours ± the tolerance, whole intervals."""
    per_hour = 60 / problem.interval_minutes
    tolerance = problem.rules.weekly_hours_tolerance
    low = max(0, math.ceil((agent.contract_hours_per_week - tolerance) * per_hour - 1e-9))
    high = math.floor((agent.contract_hours_per_week + tolerance) * per_hour + 1e-9)
    return low, high


@dataclass
class ScheduleModel:
    """The built model and the variables the solution is read from."""

    model: cp_model.CpModel
    geometry: Geometry
    shifts: dict[str, dict[Cell, cp_model.IntVar]]
    break_counts: dict[tuple[str, Cell, int, int], cp_model.IntVar]
    under: dict[str, list[cp_model.IntVar]]
    over: dict[str, list[cp_model.IntVar]]
    late_requests: dict[str, list[cp_model.IntVar]] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)  # agents each shift owner stands for

    def hint(
        self, roster: Mapping[str, set[Cell]], breaks: Mapping[tuple[str, Cell], list[int]]
    ) -> None:
        """Start the search from ``roster`` and its break offsets."""
        for agent_id, cells in self.shifts.items():
            for cell, var in cells.items():
                self.model.add_hint(var, cell in roster[agent_id])
        counts: dict[tuple[Cell, int, int], int] = {}
        for (agent_id, cell), offsets in breaks.items():
            if agent_id in self.shifts:
                for number, offset in enumerate(offsets):
                    counts[cell, number, offset] = counts.get((cell, number, offset), 0) + 1
        for (_, cell, number, offset), var in self.break_counts.items():
            self.model.add_hint(var, counts.get((cell, number, offset), 0))

    def roster(
        self, solver: cp_model.CpSolver
    ) -> tuple[dict[str, set[Cell]], dict[tuple[str, Cell], list[int]]]:
        """The solution's shifts, and the break counts handed out to the agents on each
        shift (any order will do: they are interchangeable for coverage)."""
        roster = {
            agent_id: {cell for cell, var in cells.items() if solver.value(var)}
            for agent_id, cells in self.shifts.items()
        }
        taken: dict[tuple[Cell, int], list[int]] = {}
        for (_, cell, number, offset), var in sorted(
            self.break_counts.items(), key=lambda item: item[0][1:]
        ):
            taken.setdefault((cell, number), []).extend([offset] * solver.value(var))
        breaks: dict[tuple[str, Cell], list[int]] = {}
        for agent_id in sorted(roster):
            for cell in sorted(roster[agent_id]):
                rules = self.geometry.problem.templates[cell.template].breaks
                breaks[agent_id, cell] = [taken[cell, n].pop() for n in range(len(rules))]
        return roster, breaks


def build_model(
    problem: ScheduleProblem,
    closed: Mapping[str, set[Cell]],
    weights: Weights,
    *,
    soft_rules: bool = True,
) -> ScheduleModel:
    """The full model; ``closed[agent_id]`` are cells an agent may not work (probation,
    honoured day-off requests), left out rather than constrained."""
    geometry = Geometry(problem)
    model = cp_model.CpModel()
    shifts: dict[str, dict[Cell, cp_model.IntVar]] = {}
    sizes: dict[str, int] = {}
    for agent, size in _members(problem, closed, grouped=not soft_rules):
        shut = closed.get(agent.id, set()) | forbidden_by_probation(geometry, agent)
        shifts[agent.id] = {
            cell: model.new_int_var(0, size, f"x_{agent.id}_{cell.day}_{cell.template}")
            for cell in geometry.cells
            if cell not in shut
        }
        sizes[agent.id] = size
        add_agent_rules(model, geometry, agent, shifts[agent.id], count=size)
    built = ScheduleModel(model, geometry, shifts, {}, {}, {}, sizes=sizes)
    _coverage(built, problem)
    # The LP bound needs only coverage; the soft rules' variables would just slow GLOP.
    penalties = _soft_rules(built, problem, weights) if soft_rules else []
    under = [v for vs in built.under.values() for v in vs]
    over = [v for vs in built.over.values() for v in vs]
    model.minimize(
        weights.under_staffing * cp_model.LinearExpr.sum(under)
        + weights.over_staffing * cp_model.LinearExpr.sum(over)
        + cp_model.LinearExpr.sum(penalties)
    )
    return built


def _members(
    problem: ScheduleProblem, closed: Mapping[str, set[Cell]], *, grouped: bool
) -> list[tuple[Agent, int]]:
    """The shift owners: each agent alone, or (``grouped``) one per set of agents alike
    in site, contract, probation and closed cells, with the set's size."""
    if not grouped:
        return [(agent, 1) for agent in problem.agents]
    groups: dict[tuple[object, ...], list[Agent]] = {}
    for agent in problem.agents:
        key = (
            agent.site,
            agent.contract_hours_per_week,
            agent.on_probation,
            frozenset(closed.get(agent.id, ())),
        )
        groups.setdefault(key, []).append(agent)
    return [(members[0], len(members)) for members in groups.values()]


def _coverage(built: ScheduleModel, problem: ScheduleProblem) -> None:
    model, geometry = built.model, built.geometry
    step = problem.interval_minutes
    for site in problem.sites:
        agents = [a for a in problem.agents if a.site == site and a.id in built.shifts]
        on_phone: list[list[cp_model.LinearExprT]] = [[] for _ in range(problem.intervals)]
        for cell in geometry.cells:
            members = [built.shifts[a.id][cell] for a in agents if cell in built.shifts[a.id]]
            if not members:
                continue
            most = sum(built.sizes[a.id] for a in agents if cell in built.shifts[a.id])
            count = model.new_int_var(0, most, f"n_{site}_{cell.day}_{cell.template}")
            model.add(count == cp_model.LinearExpr.sum(members))
            for i in geometry.intervals(cell.start, cell.end):
                on_phone[i].append(count)
            template = problem.templates[cell.template]
            for number, rule in enumerate(template.breaks):
                slots = []
                for offset in range(
                    rule.earliest_start_minutes, rule.latest_start_minutes + 1, step
                ):
                    taking = model.new_int_var(0, most, "")
                    built.break_counts[site, cell, number, offset] = taking
                    slots.append(taking)
                    begin = cell.start + offset
                    for i in geometry.intervals(begin, begin + rule.length_minutes):
                        on_phone[i].append(-taking)
                model.add(sum(slots) == count)
        required = problem.requirement[site]
        built.under[site], built.over[site] = [], []
        for i in range(problem.intervals):
            under = model.new_int_var(0, required[i], f"u_{site}_{i}")
            over = model.new_int_var(0, sum(built.sizes[a.id] for a in agents), f"o_{site}_{i}")
            model.add(sum(on_phone[i]) - required[i] == over - under)
            built.under[site].append(under)
            built.over[site].append(over)


def _soft_rules(
    built: ScheduleModel, problem: ScheduleProblem, weights: Weights
) -> list[cp_model.LinearExprT]:
    model, geometry = built.model, built.geometry
    penalties: list[cp_model.LinearExprT] = []
    for request in problem.requests:
        if problem.is_timely(request):
            continue  # honoured by leaving the cells out (see ``closed``)
        mine = built.shifts[request.agent_id]
        worked = [mine[c] for c in geometry.request_cells(request) if c in mine]
        built.late_requests[request.id] = worked
        penalties.append(weights.late_request_refused * sum(worked))
    for site in problem.sites:
        eligible = [a for a in problem.agents if a.site == site and a.works_nights_and_weekends]
        for kind in (geometry.night, geometry.weekend):
            counts = [
                cp_model.LinearExpr.sum([v for c, v in built.shifts[a.id].items() if kind(c)])
                for a in eligible
            ]
            if len(counts) < 2:
                continue
            most = model.new_int_var(0, problem.days, "")
            least = model.new_int_var(0, problem.days, "")
            for count in counts:
                model.add(most >= count)
                model.add(least <= count)
            penalties.append(weights.fairness_spread * (most - least))
    for agent in problem.agents:
        penalties += _overtime(built, problem, agent, weights)
        if agent.mentor_id is not None:
            penalties += _without_mentor(built, agent, agent.mentor_id, weights)
    return penalties


def _overtime(
    built: ScheduleModel, problem: ScheduleProblem, agent: Agent, weights: Weights
) -> list[cp_model.LinearExprT]:
    contract = round(agent.contract_hours_per_week * 60 / problem.interval_minutes)
    _, high = weekly_bounds(problem, agent)
    if high <= contract:
        return []
    terms: list[cp_model.LinearExprT] = []
    for week in range(problem.weeks):
        paid = sum(
            (cell.end - cell.start) // problem.interval_minutes * var
            for cell, var in built.shifts[agent.id].items()
            if week * DAYS_PER_WEEK <= cell.day < (week + 1) * DAYS_PER_WEEK
        )
        extra = built.model.new_int_var(0, high - contract, "")
        built.model.add(extra >= paid - contract)
        terms.append(weights.overtime_interval * extra)
    return terms


def _without_mentor(
    built: ScheduleModel, agent: Agent, mentor_id: str, weights: Weights
) -> list[cp_model.LinearExprT]:
    mentor = built.shifts[mentor_id]
    alone = []
    for cell, var in built.shifts[agent.id].items():
        if cell in mentor:
            lonely = built.model.new_bool_var("")
            built.model.add(lonely >= var - mentor[cell])
            alone.append(lonely)
        else:
            alone.append(var)
    return [weights.probationer_without_mentor * sum(alone)]
