"""What the planner page shows, as a pure core: a day's forecast, the staffing plan under
what-if settings, and agents scheduled on the phones per interval.

The forecast is fitted on the shipped example history before the day (so a past day is
compared with what the model would have said then); see ``docs/staffing.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache

import numpy as np

from frontline.wfm.adherence import Activity
from frontline.wfm.errors import FloatArray
from frontline.wfm.example_data import example_calendar, example_history
from frontline.wfm.forecast import ForecastModel, IntervalSeries, fit, predict
from frontline.wfm.plan import QueueDemand, QueueSettings, Shrinkage, StaffingPlan, staffing_plan

__all__ = [
    "DayForecast",
    "WhatIf",
    "day_forecast",
    "example_queues",
    "scheduled_on_phones",
    "what_if_plan",
]


@dataclass(frozen=True, slots=True)
class WhatIf:
    """The planner's what-if inputs; ``aht_seconds`` None keeps the forecast's AHT."""

    service_level_target: float = 0.8
    target_answer_seconds: float = 20.0
    aht_seconds: float | None = None
    shrinkage: float = 0.3


@dataclass(frozen=True, slots=True)
class DayForecast:
    """One queue's day: interval starts (UTC), the forecast and, where the example history
    holds the day, its actual volumes."""

    queue: str
    starts: list[datetime]
    interval_seconds: int
    volume: FloatArray
    aht_seconds: FloatArray
    example_actual: FloatArray | None


@cache
def _history() -> dict[str, IntervalSeries]:
    return example_history()


def example_queues() -> list[str]:
    return sorted(_history())


@lru_cache(maxsize=32)
def _model(queue: str, cutoff: int) -> ForecastModel:
    return fit(_history()[queue].before(cutoff), example_calendar())


def day_forecast(queue: str, day: date) -> DayForecast:
    """The forecast of ``day`` (the site's calendar) from the history before it."""
    history = _history()[queue]
    calendar = example_calendar()
    midnight = calendar.midnight(day)
    cutoff = min(midnight, int(history.interval_start[-1]) + history.interval_seconds)
    result = predict(_model(queue, cutoff), calendar, start=day, days=1)
    index = (result.interval_start - int(history.interval_start[0])) // history.interval_seconds
    inside = (index >= 0) & (index < history.volume.size)
    actual = history.volume[index] if bool(np.all(inside)) else None
    return DayForecast(
        queue=queue,
        starts=[datetime.fromtimestamp(int(start), UTC) for start in result.interval_start],
        interval_seconds=history.interval_seconds,
        volume=result.volume,
        aht_seconds=result.aht_seconds,
        example_actual=actual,
    )


def what_if_plan(forecasts: Mapping[str, DayForecast], what_if: WhatIf) -> StaffingPlan:
    """Every queue sized with the same what-if settings (nothing is saved)."""
    settings = QueueSettings(
        service_level_target=what_if.service_level_target,
        target_answer_seconds=what_if.target_answer_seconds,
        shrinkage=Shrinkage(absence=what_if.shrinkage),
    )
    demand = {
        name: QueueDemand(
            interval_start=np.array([int(start.timestamp()) for start in day.starts]),
            volume=day.volume,
            aht_seconds=(
                day.aht_seconds
                if what_if.aht_seconds is None
                else np.full(day.volume.shape, what_if.aht_seconds)
            ),
            interval_seconds=day.interval_seconds,
        )
        for name, day in forecasts.items()
    }
    return staffing_plan(demand, dict.fromkeys(demand, settings))


def scheduled_on_phones(
    agents: Iterable[Sequence[Activity]], starts: Sequence[datetime], interval_seconds: int
) -> list[int]:
    """Agents whose on-phone time covers each interval's middle."""
    middles = [start + timedelta(seconds=interval_seconds / 2) for start in starts]
    counts = [0] * len(starts)
    for activities in agents:
        phone = [a for a in activities if a.kind == "phone"]
        for index, middle in enumerate(middles):
            if any(a.start <= middle < a.end for a in phone):
                counts[index] += 1
    return counts
