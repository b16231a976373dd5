"""What a schedule is asked for: agents, shift templates, requirement, requests and rules.

Plain frozen dataclasses and one validation pass (:func:`validate`) that names the field at
fault, so the model never sees a contract it cannot read. Times inside the core are
minutes from the schedule's first midnight (local time of the plan); intervals are
half-open ``[start, end)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

__all__ = [
    "Agent",
    "BreakRule",
    "DayOffRequest",
    "OffPhoneNeed",
    "Rules",
    "ScheduleInputError",
    "ScheduleProblem",
    "ShiftTemplate",
    "validate",
]

MINUTES_PER_DAY = 1440
DAYS_PER_WEEK = 7
SATURDAY = 5


class ScheduleInputError(ValueError):
    """Input the scheduler cannot use; ``field`` names it (``agents[3].mentor_id``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True, slots=True)
class OffPhoneNeed:
    """Off-phone work an agent owes each week (training, mentoring, outbound)."""

    kind: str
    minutes_per_week: int


@dataclass(frozen=True, slots=True)
class Agent:
    """One agent. Nights and weekends are open only to agents past probation."""

    id: str
    site: str
    contract_hours_per_week: float
    on_probation: bool = False
    mentor_id: str | None = None
    off_phone: tuple[OffPhoneNeed, ...] = ()

    @property
    def works_nights_and_weekends(self) -> bool:
        return not self.on_probation


@dataclass(frozen=True, slots=True)
class BreakRule:
    """A break of ``length_minutes`` starting between the two offsets from shift start."""

    length_minutes: int
    earliest_start_minutes: int
    latest_start_minutes: int


@dataclass(frozen=True, slots=True)
class ShiftTemplate:
    """A shift that may start every day at ``start_minute`` (minutes after midnight)."""

    name: str
    start_minute: int
    length_minutes: int
    night: bool = False
    breaks: tuple[BreakRule, ...] = ()


@dataclass(frozen=True, slots=True)
class DayOffRequest:
    """An agent asks for no work at all on ``day``; filed on ``filed_on``."""

    id: str
    agent_id: str
    day: date
    filed_on: date


@dataclass(frozen=True, slots=True)
class Rules:
    """The labour rules, with the defaults of a typical European contact center."""

    min_rest_hours: float = 11.0
    max_consecutive_days: int = 6
    weekly_hours_tolerance: float = 4.0
    # Requests filed at least this many days before the first day are honoured unless
    # the agent's own rules make that impossible; later ones only where coverage allows.
    request_deadline_days: int = 7

    def request_deadline(self, start: date) -> date:
        return start - timedelta(days=self.request_deadline_days)


@dataclass(frozen=True, slots=True)
class ScheduleProblem:
    """Everything a schedule is built from.

    ``requirement[site]`` holds the agents needed on the phones in every interval of the
    horizon (``weeks * 7 * 1440 / interval_minutes`` values), counted from midnight of
    ``start``.
    """

    start: date
    weeks: int
    agents: tuple[Agent, ...]
    templates: tuple[ShiftTemplate, ...]
    requirement: Mapping[str, Sequence[int]]
    requests: tuple[DayOffRequest, ...] = ()
    rules: Rules = field(default_factory=Rules)
    interval_minutes: int = 30

    @property
    def days(self) -> int:
        return self.weeks * DAYS_PER_WEEK

    @property
    def intervals(self) -> int:
        return self.days * MINUTES_PER_DAY // self.interval_minutes

    @property
    def sites(self) -> tuple[str, ...]:
        return tuple(sorted(self.requirement))

    def is_timely(self, request: DayOffRequest) -> bool:
        return request.filed_on <= self.rules.request_deadline(self.start)


def validate(problem: ScheduleProblem) -> None:
    """Raise :class:`ScheduleInputError` naming the first field the scheduler cannot use."""
    _check_horizon(problem)
    _check_rules(problem.rules)
    for index, template in enumerate(problem.templates):
        _check_template(f"templates[{index}]", template, problem.interval_minutes)
    if not problem.templates:
        raise ScheduleInputError("templates", "needs at least one shift template")
    names = [template.name for template in problem.templates]
    if len(set(names)) != len(names):
        raise ScheduleInputError("templates", f"names must be unique, got {names}")
    _check_requirement(problem)
    _check_agents(problem)
    _check_requests(problem)


def _check_horizon(problem: ScheduleProblem) -> None:
    if problem.weeks < 1:
        raise ScheduleInputError("weeks", f"must be >= 1, got {problem.weeks}")
    if problem.interval_minutes <= 0 or MINUTES_PER_DAY % problem.interval_minutes:
        raise ScheduleInputError(
            "interval_minutes", f"must divide a day (15, 30, 60…), got {problem.interval_minutes}"
        )


def _check_rules(rules: Rules) -> None:
    if not 0 <= rules.min_rest_hours < 24:
        raise ScheduleInputError(
            "rules.min_rest_hours", f"must be from 0 to below 24, got {rules.min_rest_hours}"
        )
    if rules.max_consecutive_days < 1:
        raise ScheduleInputError(
            "rules.max_consecutive_days", f"must be >= 1, got {rules.max_consecutive_days}"
        )
    if rules.weekly_hours_tolerance < 0:
        raise ScheduleInputError(
            "rules.weekly_hours_tolerance", f"must be >= 0, got {rules.weekly_hours_tolerance}"
        )
    if rules.request_deadline_days < 0:
        raise ScheduleInputError(
            "rules.request_deadline_days", f"must be >= 0, got {rules.request_deadline_days}"
        )


def _check_template(where: str, template: ShiftTemplate, interval: int) -> None:
    if not 0 <= template.start_minute < MINUTES_PER_DAY or template.start_minute % interval:
        raise ScheduleInputError(
            f"{where}.start_minute",
            f"must be a multiple of {interval} from 0 to 1439, got {template.start_minute}",
        )
    if not 0 < template.length_minutes <= MINUTES_PER_DAY or template.length_minutes % interval:
        raise ScheduleInputError(
            f"{where}.length_minutes",
            f"must be a multiple of {interval} up to 1440, got {template.length_minutes}",
        )
    for number, rule in enumerate(template.breaks):
        field_name = f"{where}.breaks[{number}]"
        if rule.length_minutes <= 0 or rule.length_minutes % interval:
            raise ScheduleInputError(
                f"{field_name}.length_minutes",
                f"must be a positive multiple of {interval}, got {rule.length_minutes}",
            )
        if (
            rule.earliest_start_minutes % interval
            or rule.latest_start_minutes % interval
            or not 0 < rule.earliest_start_minutes <= rule.latest_start_minutes
            or rule.latest_start_minutes + rule.length_minutes >= template.length_minutes
        ):
            raise ScheduleInputError(
                field_name,
                "the break window must lie inside the shift, on interval boundaries, "
                "earliest <= latest",
            )
        if number and rule.earliest_start_minutes < (
            template.breaks[number - 1].latest_start_minutes
            + template.breaks[number - 1].length_minutes
        ):
            raise ScheduleInputError(field_name, "must start after the previous break's window")


def _check_requirement(problem: ScheduleProblem) -> None:
    if not problem.requirement:
        raise ScheduleInputError("requirement", "needs at least one site")
    for site, values in problem.requirement.items():
        if len(values) != problem.intervals:
            raise ScheduleInputError(
                f"requirement[{site}]",
                f"needs {problem.intervals} intervals ({problem.weeks} weeks of "
                f"{problem.interval_minutes} minutes), got {len(values)}",
            )
        bad = [value for value in values if not isinstance(value, int) or value < 0]
        if bad:
            raise ScheduleInputError(
                f"requirement[{site}]", f"must be whole numbers >= 0, got {bad[0]!r}"
            )


def _check_agents(problem: ScheduleProblem) -> None:
    if not problem.agents:
        raise ScheduleInputError("agents", "needs at least one agent")
    by_id: dict[str, Agent] = {}
    for index, agent in enumerate(problem.agents):
        where = f"agents[{index}]"
        if not agent.id or agent.id in by_id:
            raise ScheduleInputError(
                f"{where}.id", f"must be unique and non-empty, got {agent.id!r}"
            )
        by_id[agent.id] = agent
        if agent.site not in problem.requirement:
            raise ScheduleInputError(
                f"{where}.site", f"has no requirement, got {agent.site!r} ({agent.id})"
            )
        if not 0 < agent.contract_hours_per_week <= 7 * 24:
            raise ScheduleInputError(
                f"{where}.contract_hours_per_week",
                f"must be above 0 and at most 168, got {agent.contract_hours_per_week}",
            )
        for number, need in enumerate(agent.off_phone):
            if need.minutes_per_week < 0 or need.minutes_per_week % problem.interval_minutes:
                raise ScheduleInputError(
                    f"{where}.off_phone[{number}].minutes_per_week",
                    f"must be a multiple of {problem.interval_minutes} >= 0, "
                    f"got {need.minutes_per_week}",
                )
    for index, agent in enumerate(problem.agents):
        _check_mentor(f"agents[{index}].mentor_id", agent, by_id)


def _check_mentor(where: str, agent: Agent, by_id: Mapping[str, Agent]) -> None:
    if agent.mentor_id is None:
        return
    mentor = by_id.get(agent.mentor_id)
    if mentor is None:
        raise ScheduleInputError(where, f"no agent {agent.mentor_id!r} ({agent.id})")
    if mentor.on_probation or mentor.site != agent.site or mentor.id == agent.id:
        raise ScheduleInputError(
            where,
            f"{agent.mentor_id!r} must be another agent at {agent.site} past probation "
            f"({agent.id})",
        )


def _check_requests(problem: ScheduleProblem) -> None:
    agents = {agent.id for agent in problem.agents}
    last = problem.start + timedelta(days=problem.days - 1)
    seen: set[str] = set()
    for index, request in enumerate(problem.requests):
        where = f"requests[{index}]"
        if not request.id or request.id in seen:
            raise ScheduleInputError(
                f"{where}.id", f"must be unique and non-empty, got {request.id!r}"
            )
        seen.add(request.id)
        if request.agent_id not in agents:
            raise ScheduleInputError(f"{where}.agent_id", f"no agent {request.agent_id!r}")
        if not problem.start <= request.day <= last:
            raise ScheduleInputError(
                f"{where}.day", f"must be from {problem.start} to {last}, got {request.day}"
            )
        if request.filed_on > request.day:
            raise ScheduleInputError(
                f"{where}.filed_on", f"is after the day asked for ({request.filed_on})"
            )
