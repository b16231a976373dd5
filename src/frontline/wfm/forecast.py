"""Contact volume and AHT per interval, forecast from one queue's history.

Its inputs, :class:`IntervalSeries` and :class:`SiteCalendar`, are defined in
:mod:`frontline.wfm.history` and re-exported here.

A pure core (STYLE.md point 4): arrays and frozen dataclasses in and out; no clock,
database, settings or files. ``docs/forecasting.md`` explains the model; in short, a
multiplicative decomposition

    volume(day, slot) = level × profile(day of week, slot) × holiday × special(period, offset)

* ``profile`` is the mean volume of each day-of-week × interval-of-day cell over the
  recent *normal* days (not a holiday, not inside a declared special period);
* ``level`` rescales it to the last few normal weeks, so a trend is followed;
* ``holiday`` is the median ratio of actual to normal volume on the past holidays;
* ``special`` is learned per declared period and per day offset from its anchor date
  (e.g. "3 days before the tax deadline") as the median ratio on past occurrences.

Time: interval starts are int64 epoch seconds (UTC). Days of week, intervals of day,
holidays and special periods are local to the site's time zone (a ``zoneinfo`` key), so a
Moscow Monday starts at 21:00 UTC on Sunday.

>>> from datetime import date
>>> week = IntervalSeries.from_volumes(
...     first_start=1_704_067_200, interval_seconds=86_400, volume=[5, 1, 1, 1, 1, 1, 0] * 3
... )
>>> site = SiteCalendar(time_zone="UTC")
>>> forecast(week, site, start=date(2024, 1, 22), days=7).volume.tolist()
[5.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from frontline.wfm.history import (
    DAY_SECONDS,
    FloatArray,
    ForecastArgumentError,
    IntArray,
    IntervalSeries,
    SiteCalendar,
    SpecialPeriod,
)

__all__ = [
    "Accuracy",
    "BacktestResult",
    "Forecast",
    "ForecastArgumentError",
    "ForecastModel",
    "IntervalSeries",
    "SiteCalendar",
    "SpecialPeriod",
    "backtest",
    "fit",
    "forecast",
    "predict",
    "seasonal_naive",
]

WEEK_SECONDS = 7 * DAY_SECONDS
# Past holidays and special days are compared with normal days of the same weekday
# within this many days on either side: near enough to share the level, wide enough to
# find some normal days between the special ones.
_REFERENCE_DAYS = 35
# A day with fewer intervals than this share of a full day (the first and last day of a
# history that does not start at midnight) would bias the daily totals; it is left out.
_FULL_DAY_SHARE = 0.9


@dataclass(frozen=True, slots=True)
class ForecastModel:
    """What :func:`fit` learned; :func:`predict` applies it to any dates."""

    interval_seconds: int
    level: float
    profile: FloatArray  # (7, slots per day): normal volume, Monday first
    aht_profile: FloatArray  # (7, slots per day): median AHT in seconds, NaN if unknown
    holiday_factor: float
    special_factors: dict[tuple[str, int], float]


@dataclass(frozen=True, slots=True)
class Forecast:
    """Per interval (epoch seconds, UTC): expected contacts, AHT and the day's factor."""

    interval_start: IntArray
    volume: FloatArray
    aht_seconds: FloatArray
    day_factor: FloatArray


@dataclass(frozen=True, slots=True)
class Accuracy:
    """Mean absolute error (contacts per interval) and weighted absolute percentage error."""

    mae: float
    wape: float

    @classmethod
    def of(cls, actual: FloatArray, predicted: FloatArray) -> Accuracy:
        error = np.abs(actual - predicted)
        total = float(actual.sum())
        return cls(float(error.mean()), float(error.sum() / total) if total else float("nan"))


@dataclass(frozen=True, slots=True)
class BacktestResult:
    """The hold-out's actual volumes beside the model's and seasonal-naive forecasts."""

    first_day: date  # local to the site
    interval_start: IntArray
    actual: FloatArray
    model: FloatArray
    naive: FloatArray

    @property
    def model_accuracy(self) -> Accuracy:
        return Accuracy.of(self.actual, self.model)

    @property
    def naive_accuracy(self) -> Accuracy:
        return Accuracy.of(self.actual, self.naive)


def fit(
    history: IntervalSeries,
    calendar: SiteCalendar,
    *,
    profile_weeks: int = 8,
    level_weeks: int = 4,
) -> ForecastModel:
    """Learn the profile, level, holiday and special-period factors from ``history``."""
    if profile_weeks < 1 or level_weeks < 1:
        raise ForecastArgumentError("profile_weeks, level_weeks", "must be >= 1")
    series = history.dense()
    slots = DAY_SECONDS // series.interval_seconds
    days, weekday, slot = _local_cells(series, calendar)
    totals = _daily_totals(days, series.volume)
    normal_day = {day: calendar.is_normal(day) for day in totals}
    normal = np.array([normal_day[day] for day in days], dtype=bool)
    last_day = max(totals, default=None)
    if last_day is None or not any(normal_day.values()):
        raise ForecastArgumentError("history", "must hold at least one normal full day")
    ordinal = np.array([day.toordinal() for day in days])
    recent = normal & (ordinal > last_day.toordinal() - 7 * profile_weeks)
    profile = _cell_mean(weekday[recent], slot[recent], series.volume[recent], slots)
    latest = normal & (ordinal > last_day.toordinal() - 7 * level_weeks)
    expected = profile[weekday[latest], slot[latest]].sum()
    level = float(series.volume[latest].sum() / expected) if expected > 0 else 1.0
    has_aht = recent & (series.volume > 0) & np.isfinite(series.aht_seconds)
    aht = _cell_median(weekday[has_aht], slot[has_aht], series.aht_seconds[has_aht], slots)
    ratios = _special_day_ratios(totals, normal_day, calendar)
    holiday = [ratio for day, ratio in ratios.items() if day in calendar.holidays]
    by_offset: dict[tuple[str, int], list[float]] = {}
    for day, ratio in ratios.items():
        if day not in calendar.holidays:
            for key in calendar.special_offsets(day):
                by_offset.setdefault(key, []).append(ratio)
    return ForecastModel(
        interval_seconds=series.interval_seconds,
        level=level,
        profile=profile,
        aht_profile=aht,
        holiday_factor=float(np.median(holiday)) if holiday else 1.0,
        special_factors={key: float(np.median(values)) for key, values in by_offset.items()},
    )


def predict(model: ForecastModel, calendar: SiteCalendar, *, start: date, days: int) -> Forecast:
    """The forecast for ``days`` local days from the local midnight of ``start``."""
    if days < 1:
        raise ForecastArgumentError("days", f"must be >= 1, got {days}")
    first, end = calendar.midnight(start), calendar.midnight(start + timedelta(days=days))
    if first % model.interval_seconds:
        raise ForecastArgumentError(
            "interval_seconds", f"must split the local day of {calendar.time_zone} evenly"
        )
    starts = np.arange(first, end, model.interval_seconds, dtype=np.int64)
    empty = np.zeros(starts.size)
    grid = IntervalSeries(starts, empty, empty, model.interval_seconds)
    local_days, weekday, slot = _local_cells(grid, calendar)
    factor_of = {day: _day_factor(model, calendar, day) for day in set(local_days)}
    factor = np.array([factor_of[day] for day in local_days])
    volume = model.level * model.profile[weekday, slot] * factor
    aht = model.aht_profile[weekday, slot]
    known = np.isfinite(model.aht_profile)
    if np.any(known):
        aht = np.where(np.isfinite(aht), aht, float(np.median(model.aht_profile[known])))
    return Forecast(starts, volume, aht, factor)


def forecast(
    history: IntervalSeries, calendar: SiteCalendar, *, start: date, days: int
) -> Forecast:
    """:func:`fit` on the whole history, then :func:`predict`."""
    return predict(fit(history, calendar), calendar, start=start, days=days)


def seasonal_naive(history: IntervalSeries, interval_start: IntArray) -> FloatArray:
    """The volume of the same interval one week earlier (0 where none was recorded)."""
    series = history.dense()
    if series.volume.size == 0:
        raise ForecastArgumentError("history", "must not be empty")
    wanted = interval_start - WEEK_SECONDS
    index = np.clip(np.searchsorted(series.interval_start, wanted), 0, series.volume.size - 1)
    found = series.interval_start[index] == wanted
    if not np.all(found | (wanted > series.interval_start[-1])):
        raise ForecastArgumentError("history", "must cover the week before the forecast")
    return np.where(found, series.volume[index], 0.0)


def backtest(
    history: IntervalSeries, calendar: SiteCalendar, *, holdout_days: int = 28
) -> BacktestResult:
    """Fit on all but the last ``holdout_days`` local days; forecast and score those.

    The baseline is seasonal-naive as planners use it: each interval repeats the actual
    volume one week earlier, so in the hold-out's later weeks it sees actuals the model
    does not.
    """
    series = history.dense()
    if holdout_days < 1:
        raise ForecastArgumentError("holdout_days", f"must be >= 1, got {holdout_days}")
    days, _, _ = _local_cells(series, calendar)
    last = days[-1] if days else None
    if last is None or (last - days[0]).days < holdout_days + 14:
        raise ForecastArgumentError(
            "holdout_days", f"must leave at least 14 days of history to fit, got {holdout_days}"
        )
    first_held = last - timedelta(days=holdout_days - 1)
    cut = calendar.midnight(first_held)
    model = fit(series.before(cut), calendar)
    predicted = predict(model, calendar, start=first_held, days=holdout_days)
    keep = predicted.interval_start <= series.interval_start[-1]
    starts = predicted.interval_start[keep]
    actual = series.volume[(starts - series.interval_start[0]) // series.interval_seconds]
    return BacktestResult(
        first_held, starts, actual, predicted.volume[keep], seasonal_naive(series, starts)
    )


def _local_cells(
    series: IntervalSeries, calendar: SiteCalendar
) -> tuple[list[date], NDArray[np.intp], NDArray[np.intp]]:
    """Each interval's local date, weekday (Monday 0) and interval-of-day index."""
    slots = DAY_SECONDS // series.interval_seconds
    starts = series.interval_start
    # The UTC offset is looked up once per distinct half hour: zones change it on the
    # hour or half hour, and a lookup per interval would dominate the run time.
    halves = starts // 1800
    unique_halves, inverse = np.unique(halves, return_inverse=True)
    offsets = np.array(
        [_offset(int(half) * 1800, calendar.zone) for half in unique_halves], dtype=np.int64
    )
    local = starts + offsets[inverse.reshape(-1)]
    day_number = local // DAY_SECONDS
    epoch = date(1970, 1, 1)
    unique_days, day_index = np.unique(day_number, return_inverse=True)
    as_dates = [epoch + timedelta(days=int(number)) for number in unique_days]
    days = [as_dates[index] for index in day_index.reshape(-1).tolist()]
    weekday = ((day_number + 3) % 7).astype(np.intp)  # 1970-01-01 was a Thursday
    slot = np.minimum((local % DAY_SECONDS) // series.interval_seconds, slots - 1)
    return days, weekday, slot.astype(np.intp)


def _offset(epoch_seconds: int, zone: ZoneInfo) -> int:
    offset = datetime.fromtimestamp(epoch_seconds, zone).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _daily_totals(days: Sequence[date], volume: FloatArray) -> dict[date, float]:
    """Total volume per local day, for the days that are (nearly) complete."""
    totals: dict[date, float] = {}
    counts: dict[date, int] = {}
    for day, value in zip(days, volume.tolist(), strict=True):
        totals[day] = totals.get(day, 0.0) + value
        counts[day] = counts.get(day, 0) + 1
    full = max(counts.values(), default=0)
    return {day: total for day, total in totals.items() if counts[day] >= _FULL_DAY_SHARE * full}


def _cell_mean(
    weekday: NDArray[np.intp], slot: NDArray[np.intp], values: FloatArray, slots: int
) -> FloatArray:
    """Mean per weekday × slot; a weekday never seen falls back to the all-days mean."""
    total, count = np.zeros((7, slots)), np.zeros((7, slots))
    np.add.at(total, (weekday, slot), values)
    np.add.at(count, (weekday, slot), 1.0)
    overall = total.sum(axis=0) / np.maximum(count.sum(axis=0), 1.0)
    seen = count > 0
    return np.where(seen, total / np.maximum(count, 1.0), overall)


def _cell_median(
    weekday: NDArray[np.intp], slot: NDArray[np.intp], values: FloatArray, slots: int
) -> FloatArray:
    result = np.full((7, slots), np.nan)
    if values.size == 0:
        return result
    cell = weekday * slots + slot
    order = np.argsort(cell, kind="stable")
    cells, first = np.unique(cell[order], return_index=True)
    for key, group in zip(cells.tolist(), np.split(values[order], first[1:]), strict=True):
        result[key // slots, key % slots] = float(np.median(group))
    return result


def _special_day_ratios(
    totals: dict[date, float], normal_day: dict[date, bool], calendar: SiteCalendar
) -> dict[date, float]:
    """Actual ÷ normal volume of each past holiday and special day.

    Normal volume is the mean of the normal days of the same weekday within
    ``_REFERENCE_DAYS`` either side, so a trend does not leak into the ratio.
    """
    normal = sorted(day for day, is_normal in normal_day.items() if is_normal)
    ordinals = np.array([day.toordinal() for day in normal])
    values = np.array([totals[day] for day in normal])
    weekdays = ordinals % 7
    ratios = {}
    for day, total in totals.items():
        if normal_day[day]:
            continue
        near = (np.abs(ordinals - day.toordinal()) <= _REFERENCE_DAYS) & (
            weekdays == day.toordinal() % 7
        )
        reference = float(values[near].mean()) if np.any(near) else 0.0
        if reference > 0:
            ratios[day] = total / reference
    return ratios


def _day_factor(model: ForecastModel, calendar: SiteCalendar, day: date) -> float:
    factor = model.holiday_factor if day in calendar.holidays else 1.0
    for key in calendar.special_offsets(day):
        factor *= model.special_factors.get(key, 1.0)
    return factor
