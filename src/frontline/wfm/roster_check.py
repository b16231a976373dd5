"""An independent check of a finished roster against every rule, in plain Python.

Written apart from the CP-SAT model on purpose: it reads only the problem's inputs and
the roster's times (minutes from the schedule's first midnight), and it shares no code
with the model, so a mistake in the model cannot hide itself here. The scheduler runs it
on every roster and publishes only a roster with no violations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise

from frontline.wfm.schedule.inputs import Agent, ScheduleProblem, ShiftTemplate
from frontline.wfm.schedule.roster import RequestDecision, Shift

__all__ = ["Violation", "check_roster"]

DAY = 1440
WEEK = 7 * DAY


@dataclass(frozen=True, slots=True)
class Violation:
    """A broken rule: ``rule`` is its key (``min_rest``, ``weekly_hours``…)."""

    rule: str
    agent_id: str | None
    message: str


def check_roster(
    problem: ScheduleProblem,
    shifts: Sequence[Shift],
    decisions: Iterable[RequestDecision] = (),
    on_phone: Mapping[str, Sequence[int]] | None = None,
) -> list[Violation]:
    """Every violation of the rules in ``shifts``; empty when the roster is sound.

    ``decisions`` says which requests the scheduler refused (with a reason); every other
    request filed by the deadline, and every request it claims to honour, must leave the
    day free. ``on_phone``, when given, must match the coverage the roster really gives.
    """
    agents = {agent.id: agent for agent in problem.agents}
    templates = {template.name: template for template in problem.templates}
    found: list[Violation] = []
    mine: dict[str, list[Shift]] = {}
    for shift in shifts:
        agent = agents.get(shift.agent_id)
        template = templates.get(shift.template)
        if agent is None or template is None:
            found.append(
                Violation("unknown", shift.agent_id, f"unknown agent or template: {shift}")
            )
            continue
        found += _check_shift(problem, agent, template, shift)
        mine.setdefault(agent.id, []).append(shift)
    for agent_id, own in mine.items():
        own.sort(key=lambda s: s.start_minute)
        found += _check_sequence(problem, agents[agent_id], own)
    found += _check_requests(problem, mine, list(decisions))
    if on_phone is not None:
        found += _check_coverage(problem, agents, shifts, on_phone)
    return found


def _check_shift(
    problem: ScheduleProblem, agent: Agent, template: ShiftTemplate, shift: Shift
) -> list[Violation]:
    found = []

    def bad(rule: str, message: str) -> None:
        found.append(Violation(rule, agent.id, f"{agent.id} {_when(problem, shift)}: {message}"))

    if shift.start_minute % DAY != template.start_minute or (
        shift.end_minute - shift.start_minute != template.length_minutes
    ):
        bad("template", f"does not match template {template.name}")
    if not 0 <= shift.start_minute < problem.days * DAY:
        bad("template", "starts outside the schedule")
    if agent.on_probation and template.night:
        bad("probation", "a night shift during probation")
    if agent.on_probation and _touches_weekend(problem, shift):
        bad("probation", "a weekend shift during probation")
    if len(shift.breaks) != len(template.breaks):
        bad("breaks", f"{len(shift.breaks)} breaks, the template asks {len(template.breaks)}")
    for (start, end), rule in zip(shift.breaks, template.breaks, strict=False):
        offset = start - shift.start_minute
        if end - start != rule.length_minutes or not (
            rule.earliest_start_minutes <= offset <= rule.latest_start_minutes
        ):
            bad("breaks", f"break {start}-{end} outside its window or of the wrong length")
    away = sorted([*shift.breaks, *((b.start_minute, b.end_minute) for b in shift.off_phone)])
    for (_, first_end), (second_start, _) in pairwise(away):
        if second_start < first_end:
            bad("off_phone", "breaks or off-phone work overlap")
    for block in shift.off_phone:
        if not shift.start_minute <= block.start_minute < block.end_minute <= shift.end_minute:
            bad(
                "off_phone",
                f"{block.kind} {block.start_minute}-{block.end_minute} outside the shift",
            )
    return found


def _check_sequence(problem: ScheduleProblem, agent: Agent, own: list[Shift]) -> list[Violation]:
    found = []
    rest = problem.rules.min_rest_hours * 60
    for before, after in pairwise(own):
        gap = after.start_minute - before.end_minute
        if gap < 0:
            found.append(
                Violation(
                    "overlap", agent.id, f"{agent.id}: shifts overlap at {_when(problem, after)}"
                )
            )
        elif gap < rest:
            found.append(
                Violation(
                    "min_rest",
                    agent.id,
                    f"{agent.id}: {gap / 60:g} h rest before {_when(problem, after)}, "
                    f"needs {problem.rules.min_rest_hours:g} h",
                )
            )
    days = [shift.start_minute // DAY for shift in own]
    if len(set(days)) != len(days):
        found.append(
            Violation("one_shift_a_day", agent.id, f"{agent.id}: two shifts start on one day")
        )
    found += _check_runs(problem, agent, sorted(set(days)))
    found += _check_hours(problem, agent, own)
    return found


def _check_runs(problem: ScheduleProblem, agent: Agent, days: list[int]) -> list[Violation]:
    limit = problem.rules.max_consecutive_days
    run = 0
    previous = None
    for day in days:
        run = run + 1 if previous is not None and day == previous + 1 else 1
        previous = day
        if run == limit + 1:
            when = problem.start + timedelta(days=day)
            return [
                Violation(
                    "max_consecutive_days",
                    agent.id,
                    f"{agent.id}: {run} consecutive working days up to {when}, at most {limit}",
                )
            ]
    return []


def _check_hours(problem: ScheduleProblem, agent: Agent, own: list[Shift]) -> list[Violation]:
    found = []
    tolerance = problem.rules.weekly_hours_tolerance
    for week in range(problem.weeks):
        hours = sum(
            (s.end_minute - s.start_minute) / 60 for s in own if s.start_minute // WEEK == week
        )
        if abs(hours - agent.contract_hours_per_week) > tolerance + 1e-9:
            found.append(
                Violation(
                    "weekly_hours",
                    agent.id,
                    f"{agent.id}: {hours:g} h in week {week + 1}, contract "
                    f"{agent.contract_hours_per_week:g} ± {tolerance:g} h",
                )
            )
    return found


def _check_requests(
    problem: ScheduleProblem, mine: Mapping[str, list[Shift]], decisions: list[RequestDecision]
) -> list[Violation]:
    refused = {d.request_id for d in decisions if not d.honoured}
    claimed = {d.request_id for d in decisions if d.honoured}
    deadline = problem.start - timedelta(days=problem.rules.request_deadline_days)
    found = []
    for request in problem.requests:
        must = request.id in claimed or (request.filed_on <= deadline and request.id not in refused)
        if not must:
            continue
        day = (request.day - problem.start).days
        for shift in mine.get(request.agent_id, []):
            if shift.start_minute < (day + 1) * DAY and shift.end_minute > day * DAY:
                found.append(
                    Violation(
                        "day_off_request",
                        request.agent_id,
                        f"{request.agent_id} works on {request.day}, asked off in {request.id}",
                    )
                )
    return found


def _check_coverage(
    problem: ScheduleProblem,
    agents: Mapping[str, Agent],
    shifts: Sequence[Shift],
    on_phone: Mapping[str, Sequence[int]],
) -> list[Violation]:
    step = problem.interval_minutes
    counts = {site: [0] * problem.intervals for site in problem.requirement}
    for shift in shifts:
        if shift.agent_id not in agents:
            continue
        row = counts[agents[shift.agent_id].site]
        away = [*shift.breaks, *((b.start_minute, b.end_minute) for b in shift.off_phone)]
        for interval in range(shift.start_minute // step, shift.end_minute // step):
            minute = interval * step
            if interval < problem.intervals and not any(s <= minute < e for s, e in away):
                row[interval] += 1
    found = []
    for site, row in counts.items():
        reported = list(on_phone.get(site, []))
        if reported != row:
            found.append(
                Violation("coverage", None, f"{site}: reported coverage is not the roster's")
            )
    return found


def _touches_weekend(problem: ScheduleProblem, shift: Shift) -> bool:
    for day in range(shift.start_minute // DAY, (shift.end_minute - 1) // DAY + 1):
        if (problem.start + timedelta(days=day)).weekday() >= 5:
            return True
    return False


def _when(problem: ScheduleProblem, shift: Shift) -> str:
    day = problem.start + timedelta(days=shift.start_minute // DAY)
    minute = shift.start_minute % DAY
    return f"{day} {minute // 60:02d}:{minute % 60:02d}"
