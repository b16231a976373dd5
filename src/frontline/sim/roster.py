"""Does a roster meet its service-level target? One day of a published (or produced)
roster and that day's forecast, played through the simulator.

Every rostered agent answers every forecast queue (the scheduler plans agents, not
skills); an agent is on the phones from the start of the shift to its end, except in its
breaks and off-phone blocks — as the scheduler counts coverage. A queue's arrivals are
the forecast's volume per interval; its handle times are exponential with the day's
volume-weighted forecast AHT (the simulator takes one distribution per queue). The day
runs from local midnight for 24 hours; a shift begun the evening before is already at
work at midnight, with no queue carried over.

>>> from frontline.sim.roster import miss
>>> miss(0.8, 0.7), miss(0.8, 0.85), miss(0.8, None)
(0.1, 0.0, None)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import numpy as np

from frontline.sim import Estimate, Scenario, ScenarioError, SimulationResult, simulate
from frontline.wfm.history import IntervalSeries
from frontline.wfm.schedule.inputs import MINUTES_PER_DAY
from frontline.wfm.schedule.roster import Shift

__all__ = ["IntervalVerdict", "RosterVerdict", "check_roster_day", "miss", "roster_scenario"]

_SKILL = "phones"
_DAY_SECONDS = MINUTES_PER_DAY * 60


def miss(target: float, service_level: float | None) -> float | None:
    """How far below ``target`` a simulated service level is: 0 when met, None when no calls."""
    if service_level is None:
        return None
    return round(max(0.0, target - service_level), 12)


@dataclass(frozen=True, slots=True)
class IntervalVerdict:
    queue: str
    start: float  # seconds after the day's local midnight
    on_phones: int  # rostered agents on the phones for the whole interval
    offered: Estimate
    service_level: Estimate
    miss: float | None  # target minus the simulated mean where below it; None: no calls


@dataclass(frozen=True, slots=True)
class RosterVerdict:
    day: date
    target: float
    threshold_seconds: float
    intervals: tuple[IntervalVerdict, ...]
    day_service_level: tuple[tuple[str, Estimate], ...]  # per queue, the whole day
    result: SimulationResult

    @property
    def missed(self) -> tuple[IntervalVerdict, ...]:
        return tuple(row for row in self.intervals if row.miss)

    @property
    def worst_miss(self) -> float:
        return max((row.miss or 0.0 for row in self.intervals), default=0.0)

    @property
    def meets_target(self) -> bool:
        return not self.missed


def _day_window(roster_start: date, day: date) -> int:
    """Minutes from the roster's first midnight to ``day``'s."""
    return (day - roster_start).days * MINUTES_PER_DAY


def _agents(shifts: Sequence[Shift], offset: int) -> list[dict[str, object]]:
    """One agent group per shift touching the day, its breaks and off-phone time as breaks."""
    groups: list[dict[str, object]] = []
    for shift in shifts:
        start = max(shift.start_minute - offset, 0)
        end = min(shift.end_minute - offset, 2 * MINUTES_PER_DAY)
        if end <= 0 or start >= MINUTES_PER_DAY:
            continue
        away = [*shift.breaks, *((b.start_minute, b.end_minute) for b in shift.off_phone)]
        breaks = []
        for away_start, away_end in sorted(away):
            begin, finish = max(away_start - offset, start), min(away_end - offset, end)
            if finish > begin:
                breaks.append({"start": begin * 60.0, "minutes": float(finish - begin)})
        groups.append(
            {
                "name": shift.agent_id,
                "count": 1,
                "skills": {_SKILL: 1},
                "shift": {"start": start * 60.0, "end": end * 60.0},
                "breaks": breaks,
            }
        )
    return groups


def _day_forecast(
    series: IntervalSeries, midnight: int, intervals: int
) -> tuple[list[float], float | None]:
    """Volume per interval of the day and the day's volume-weighted AHT (None: no calls)."""
    step = series.interval_seconds
    volume = [0.0] * intervals
    weighted, total = 0.0, 0.0
    for start, count, aht in zip(
        series.interval_start.tolist(),
        series.volume.tolist(),
        series.aht_seconds.tolist(),
        strict=True,
    ):
        index, rest = divmod(int(start) - midnight, step)
        if rest or not 0 <= index < intervals:
            continue
        volume[index] = float(count)
        if count > 0 and np.isfinite(aht):
            weighted += count * aht
            total += count
    return volume, (weighted / total if total else None)


def roster_scenario(
    shifts: Sequence[Shift],
    roster_start: date,
    forecast: Mapping[str, IntervalSeries],
    day: date,
    *,
    time_zone: str,
    target: float = 0.8,
    threshold_seconds: float = 20.0,
    patience_seconds: float | None = None,
    replications: int = 10,
    seed: int = 0,
) -> Scenario:
    """The simulator's scenario for ``day`` of the roster (see the module's description)."""
    steps = {series.interval_seconds for series in forecast.values()}
    if len(steps) != 1:
        raise ScenarioError("the forecast's queues must share one interval length", "forecast")
    step = steps.pop()
    midnight = int(datetime.combine(day, time(), ZoneInfo(time_zone)).timestamp())
    intervals = _DAY_SECONDS // step
    queues = []
    for name, series in sorted(forecast.items()):
        volume, aht = _day_forecast(series, midnight, intervals)
        if aht is None:
            continue
        queue: dict[str, object] = {
            "name": name,
            "skills": [_SKILL],
            "arrivals": volume,
            "handle": {"distribution": "exponential", "mean_seconds": aht},
            "service_level": {"threshold_seconds": threshold_seconds, "target": target},
        }
        if patience_seconds is not None:
            queue["patience"] = {"distribution": "exponential", "mean_seconds": patience_seconds}
        queues.append(queue)
    if not queues:
        raise ScenarioError(f"no calls forecast on {day}", "forecast")
    agents = _agents(shifts, _day_window(roster_start, day))
    if not agents:
        raise ScenarioError(f"nobody is rostered on {day}", "roster")
    return Scenario.model_validate(
        {
            "seed": seed,
            "replications": replications,
            "open": 0.0,
            "close": float(_DAY_SECONDS),
            "interval_minutes": step / 60,
            "queues": queues,
            "agents": agents,
        }
    )


def _on_phones(scenario: Scenario) -> list[int]:
    """Agents on the phones for the whole of each interval."""
    length = scenario.interval_seconds
    counts = [0] * scenario.intervals
    for group in scenario.agents:
        shift = scenario.shift(group)
        for k in range(scenario.intervals):
            begin, end = k * length, (k + 1) * length
            away = any(
                pause.start < end and pause.start + pause.minutes * 60 > begin
                for pause in group.breaks
            )
            if shift.start <= begin and end <= shift.end and not away:
                counts[k] += 1
    return counts


def check_roster_day(
    scenario: Scenario, day: date, progress: Callable[[int], None] | None = None
) -> RosterVerdict:
    """Simulate ``scenario`` (from :func:`roster_scenario`) and set each interval's service
    level against its queue's target; ``progress`` as for :func:`frontline.sim.simulate`."""
    result = simulate(scenario, progress=progress)
    on_phones = _on_phones(scenario)
    policy = scenario.queues[0].service_level
    rows = []
    for queue in result.queues:
        for index, interval in enumerate(queue.intervals):
            level = interval.contacts.service_level
            rows.append(
                IntervalVerdict(
                    queue.name,
                    interval.start,
                    on_phones[index],
                    interval.contacts.offered,
                    level,
                    miss(queue.policy.target, level.mean),
                )
            )
    return RosterVerdict(
        day,
        policy.target,
        policy.threshold_seconds,
        tuple(rows),
        tuple((queue.name, queue.day.service_level) for queue in result.queues),
        result,
    )
