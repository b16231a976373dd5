"""A finished roster's shapes, and the off-phone work placed into it.

Times are minutes from the schedule's first midnight; intervals are half-open.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from frontline.wfm.schedule.inputs import DAYS_PER_WEEK, MINUTES_PER_DAY, ScheduleProblem

__all__ = ["OffPhoneBlock", "RequestDecision", "Shift", "on_phone_counts", "place_off_phone"]


@dataclass(frozen=True, slots=True)
class OffPhoneBlock:
    kind: str
    start_minute: int
    end_minute: int


@dataclass(frozen=True, slots=True)
class Shift:
    """One agent's shift, its breaks ``(start, end)`` and its off-phone blocks."""

    agent_id: str
    template: str
    start_minute: int
    end_minute: int
    breaks: tuple[tuple[int, int], ...]
    off_phone: tuple[OffPhoneBlock, ...]


@dataclass(frozen=True, slots=True)
class RequestDecision:
    request_id: str
    honoured: bool
    reason: str


def on_phone_counts(problem: ScheduleProblem, shifts: list[Shift]) -> dict[str, NDArray[np.int64]]:
    """Agents on the phones per site and interval: at work, not on a break or off-phone."""
    step = problem.interval_minutes
    sites = {agent.id: agent.site for agent in problem.agents}
    counts = {site: np.zeros(problem.intervals, dtype=np.int64) for site in problem.sites}
    for shift in shifts:
        row = counts[sites[shift.agent_id]]
        row[shift.start_minute // step : min(shift.end_minute // step, problem.intervals)] += 1
        away = [*shift.breaks, *((b.start_minute, b.end_minute) for b in shift.off_phone)]
        for start, end in away:
            row[start // step : min(end // step, problem.intervals)] -= 1
    return counts


def place_off_phone(
    problem: ScheduleProblem, shifts: list[Shift]
) -> tuple[dict[str, tuple[int, ...]], list[Shift], int]:
    """Off-phone work in the intervals with the most agents to spare, never where it
    would leave an interval short; returns coverage, the shifts and minutes not placed."""
    step = problem.interval_minutes
    counts = on_phone_counts(problem, shifts)
    required = {s: np.asarray(problem.requirement[s], dtype=np.int64) for s in problem.sites}
    agents = {agent.id: agent for agent in problem.agents}
    by_agent: dict[str, list[int]] = {}
    for index, shift in enumerate(shifts):
        by_agent.setdefault(shift.agent_id, []).append(index)
    unplaced = 0
    week_minutes = DAYS_PER_WEEK * MINUTES_PER_DAY
    for agent_id in sorted(by_agent):
        agent = agents[agent_id]
        spare = counts[agent.site] - required[agent.site]
        for week in range(problem.weeks):
            mine = [i for i in by_agent[agent_id] if shifts[i].start_minute // week_minutes == week]
            for need in agent.off_phone:
                for _ in range(need.minutes_per_week // step):
                    slot = _best_slot(shifts, mine, spare, step, problem.intervals)
                    if slot is None:
                        unplaced += step
                        continue
                    index, interval = slot
                    block = OffPhoneBlock(need.kind, interval * step, (interval + 1) * step)
                    shifts[index] = replace(
                        shifts[index], off_phone=(*shifts[index].off_phone, block)
                    )
                    spare[interval] -= 1
                    counts[agent.site][interval] -= 1
    coverage = {site: tuple(int(v) for v in counts[site]) for site in problem.sites}
    return coverage, shifts, unplaced


def _best_slot(
    shifts: list[Shift], mine: list[int], spare: NDArray[np.int64], step: int, intervals: int
) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    for index in mine:
        shift = shifts[index]
        busy = {s // step for s, _ in shift.breaks} | {
            b.start_minute // step for b in shift.off_phone
        }
        for interval in range(shift.start_minute // step, min(shift.end_minute // step, intervals)):
            if interval in busy or spare[interval] < 1:
                continue
            if best is None or spare[interval] > spare[best[1]]:
                best = (index, interval)
    return best
