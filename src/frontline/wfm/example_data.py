"""A realistic, seeded example history for the forecasting demo and its backtest.

Two years (104 weeks) of 30-minute intervals for three queues of a Russian contact
center in Moscow: a weekday-heavy weekly profile, a two-humped working day, Russian
public holidays (from the ``holidays`` package) at about a third of normal load,
quarterly tax-reporting deadlines with load rising towards two to three times normal,
a slow growth trend, day-to-day wobble and Poisson noise per interval. The same seed
gives the same numbers on every machine.

The last 28 days (12 October to 8 November 2026) hold the October tax deadline and the
Unity Day holiday, so the default backtest exercises both.

>>> history = example_history(seed=1)
>>> sorted(history)
['billing', 'general', 'tax-reporting']
>>> history["general"].volume.size
34944
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import holidays
import numpy as np

from frontline.wfm.forecast import IntervalSeries, SiteCalendar, SpecialPeriod

__all__ = [
    "EXAMPLE_COUNTRY",
    "EXAMPLE_DAYS",
    "EXAMPLE_FIRST_DAY",
    "EXAMPLE_TIME_ZONE",
    "example_calendar",
    "example_history",
    "tax_deadlines",
]

EXAMPLE_COUNTRY = "RU"
EXAMPLE_TIME_ZONE = "Europe/Moscow"
EXAMPLE_FIRST_DAY = date(2024, 11, 11)  # a Monday
EXAMPLE_DAYS = 7 * 104
INTERVAL_SECONDS = 1800
TAX_DEADLINE_DAY = 25
TAX_DEADLINE_MONTHS = (1, 4, 7, 10)

# Monday first; weekends are quiet in a business-facing center.
_WEEKDAY_SHAPE = np.array([1.25, 1.1, 1.05, 1.0, 0.95, 0.45, 0.3])
_HOLIDAY_FACTOR = 0.3
_GROWTH_PER_YEAR = 0.08
_DAY_WOBBLE = 0.04  # the day's share of the load varies a little, as real days do


@dataclass(frozen=True, slots=True)
class _Queue:
    name: str
    contacts_per_day: float
    aht_seconds: float
    tax_peak: float  # load on the deadline day ÷ normal load


_QUEUES = (
    _Queue("general", 1400.0, 240.0, 2.0),
    _Queue("tax-reporting", 450.0, 420.0, 3.0),
    _Queue("billing", 300.0, 300.0, 1.3),
)


def tax_deadlines(years: Iterable[int]) -> SpecialPeriod:
    """The Russian quarterly reporting deadlines as a declared special period.

    The 25th of January, April, July and October; one that falls on a weekend or a
    public holiday moves to the next working day, as the Tax Code moves it.

    >>> tax_deadlines([2025]).anchors
    (datetime.date(2025, 1, 27), datetime.date(2025, 4, 25), datetime.date(2025, 7, 25), \
datetime.date(2025, 10, 27))
    """
    chosen = sorted(set(years))
    public = holidays.country_holidays(EXAMPLE_COUNTRY, years=[*chosen, chosen[-1] + 1])
    anchors = []
    for year in chosen:
        for month in TAX_DEADLINE_MONTHS:
            day = date(year, month, TAX_DEADLINE_DAY)
            while day.weekday() >= 5 or day in public:
                day += timedelta(days=1)
            anchors.append(day)
    return SpecialPeriod("tax-deadline", tuple(anchors), days_before=10, days_after=2)


def example_calendar() -> SiteCalendar:
    """Moscow, Russian public holidays and the tax deadlines, over the example's years."""
    years = range(EXAMPLE_FIRST_DAY.year, _last_day().year + 2)
    public = holidays.country_holidays(EXAMPLE_COUNTRY, years=list(years))
    return SiteCalendar(
        time_zone=EXAMPLE_TIME_ZONE,
        holidays=frozenset(public),
        special_periods=(tax_deadlines(years),),
    )


def example_history(seed: int = 2024) -> dict[str, IntervalSeries]:
    """The example's queues, each a dense series of 30-minute intervals."""
    rng = np.random.default_rng(seed)
    calendar = example_calendar()
    days = [EXAMPLE_FIRST_DAY + timedelta(days=offset) for offset in range(EXAMPLE_DAYS)]
    slots = 86_400 // INTERVAL_SECONDS
    first_start = calendar.midnight(EXAMPLE_FIRST_DAY)  # Moscow keeps UTC+3 all year
    history = {}
    for queue in _QUEUES:
        day_load = np.array([_day_factor(day, queue, calendar) for day in days])
        day_load *= queue.contacts_per_day * rng.normal(1.0, _DAY_WOBBLE, len(days))
        shape = np.array([_intraday_shape(day.weekday(), slots) for day in days])
        mean = np.maximum(day_load[:, None] * shape, 0.0)
        volume = rng.poisson(mean).astype(np.float64).reshape(-1)
        aht = _handle_times(rng, queue, volume, slots)
        history[queue.name] = IntervalSeries.from_volumes(
            first_start=first_start,
            interval_seconds=INTERVAL_SECONDS,
            volume=volume,
            aht_seconds=aht,
        )
    return history


def _last_day() -> date:
    return EXAMPLE_FIRST_DAY + timedelta(days=EXAMPLE_DAYS - 1)


def _day_factor(day: date, queue: _Queue, calendar: SiteCalendar) -> float:
    years = (day - EXAMPLE_FIRST_DAY).days / 365.25
    factor = _WEEKDAY_SHAPE[day.weekday()] * (1 + _GROWTH_PER_YEAR * years)
    if day in calendar.holidays:
        factor *= _HOLIDAY_FACTOR
    for _, offset in calendar.special_offsets(day):
        factor *= _tax_surge(offset, queue.tax_peak)
    return float(factor)


def _tax_surge(offset: int, peak: float) -> float:
    """Load rises over the ten days before a deadline, then ebbs over two days after."""
    if offset <= 0:
        return 1 + (peak - 1) * ((11 + offset) / 11) ** 2
    return 1 + (peak - 1) * (0.25 if offset == 1 else 0.1)


def _intraday_shape(weekday: int, slots: int) -> np.typing.NDArray[np.float64]:
    """Share of the day's contacts per interval: a morning and an afternoon hump."""
    hours = (np.arange(slots) + 0.5) * 24 / slots
    if weekday >= 5:
        shape = 0.02 + np.exp(-(((hours - 13.0) / 2.5) ** 2))
    else:
        shape = (
            0.02
            + np.exp(-(((hours - 10.5) / 1.6) ** 2))
            + 0.8 * np.exp(-(((hours - 15.0) / 2.0) ** 2))
        )
    shape[(hours < 7) | (hours > 22)] *= 0.1
    return np.asarray(shape / shape.sum(), dtype=np.float64)


def _handle_times(
    rng: np.random.Generator, queue: _Queue, volume: np.typing.NDArray[np.float64], slots: int
) -> np.typing.NDArray[np.float64]:
    """Mean handle time per interval: longer calls in the evening, noisier when few."""
    hours = (np.arange(volume.size) % slots + 0.5) * 24 / slots
    expected = queue.aht_seconds * (1 + 0.1 * np.clip((hours - 12) / 10, 0, 1))
    spread = expected / np.sqrt(np.maximum(volume, 1.0))
    aht = np.round(np.maximum(rng.normal(expected, spread), 10.0), 1)
    return np.where(volume > 0, aht, np.nan)
