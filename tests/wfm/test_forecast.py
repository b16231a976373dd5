"""The forecast core: golden behaviour on synthetic series, bad input, and the backtest.

Synthetic series are built so the right answer is known exactly: a pure weekly pattern
must come back unchanged, a holiday or a special period must come back at the factor it
had in the past. The backtest on the example data must beat seasonal-naive for more than
one seed, so the margin is a property of the model and not of one random draw.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from frontline.wfm.example_data import example_calendar, example_history
from frontline.wfm.forecast import (
    ForecastArgumentError,
    IntervalSeries,
    SiteCalendar,
    SpecialPeriod,
    backtest,
    fit,
    forecast,
    predict,
    seasonal_naive,
)

HALF_HOUR = 1800
FIRST_MONDAY = date(2025, 1, 6)
# Contacts per day, Monday first.
DAILY = np.array([100.0, 90.0, 80.0, 70.0, 60.0, 20.0, 10.0])


def daily_series(
    weeks: int, *, factors: dict[date, float] | None = None, zone: str = "UTC"
) -> IntervalSeries:
    """Whole days as intervals, a pure weekly pattern times the given day factors."""
    calendar = SiteCalendar(time_zone=zone)
    days = [FIRST_MONDAY + timedelta(days=offset) for offset in range(7 * weeks)]
    volume = [DAILY[day.weekday()] * (factors or {}).get(day, 1.0) for day in days]
    return IntervalSeries.from_volumes(
        first_start=calendar.midnight(FIRST_MONDAY), interval_seconds=86_400, volume=volume
    )


def intraday_week(zone: str) -> tuple[IntervalSeries, np.typing.NDArray[np.float64]]:
    """Four identical weeks of half-hour intervals starting at local midnight."""
    week = np.arange(7 * 48, dtype=np.float64) % 17 * (1 + np.arange(7 * 48) // 48)
    aht = 100.0 + np.arange(7 * 48) % 48
    start = SiteCalendar(time_zone=zone).midnight(FIRST_MONDAY)
    series = IntervalSeries.from_volumes(
        first_start=start,
        interval_seconds=HALF_HOUR,
        volume=np.tile(week, 4),
        aht_seconds=np.tile(aht, 4),
    )
    return series, week


@pytest.mark.parametrize("zone", ["UTC", "Europe/Moscow", "Asia/Ho_Chi_Minh"])
def test_a_pure_weekly_pattern_is_reproduced_exactly(zone: str) -> None:
    series, week = intraday_week(zone)
    result = forecast(series, SiteCalendar(time_zone=zone), start=date(2025, 2, 3), days=7)
    np.testing.assert_allclose(result.volume, week, rtol=1e-12)
    # AHT is known where there were contacts; elsewhere it is the median of the known.
    answered = week > 0
    np.testing.assert_allclose(
        result.aht_seconds[answered], (100.0 + np.arange(7 * 48) % 48)[answered]
    )
    local_start = datetime.fromtimestamp(int(result.interval_start[0]), UTC).astimezone(
        SiteCalendar(time_zone=zone).zone
    )
    assert (local_start.date(), local_start.hour) == (date(2025, 2, 3), 0)


def test_a_daylight_saving_day_has_one_interval_less() -> None:
    berlin = SiteCalendar(time_zone="Europe/Berlin")
    series, _ = intraday_week("Europe/Berlin")
    # Berlin moves its clocks forward on Sunday 30 March 2025: a 23-hour day.
    result = forecast(series, berlin, start=date(2025, 3, 29), days=2)
    assert result.volume.size == 48 + 46
    assert np.all(np.isfinite(result.volume))


def test_the_level_follows_recent_weeks() -> None:
    growing = {FIRST_MONDAY + timedelta(days=offset): 1.5 for offset in range(28, 56)}
    model = fit(daily_series(8, factors=growing), SiteCalendar(), profile_weeks=8, level_weeks=4)
    result = predict(model, SiteCalendar(), start=date(2025, 3, 3), days=7)
    # The profile averages 1× and 1.5× weeks; the level scales it to the last four.
    np.testing.assert_allclose(result.volume, DAILY * 1.5)


def test_a_holiday_factor_is_learned_from_past_holidays() -> None:
    past = [date(2025, 1, 22), date(2025, 2, 13), date(2025, 3, 3)]
    calendar = SiteCalendar(holidays=frozenset([*past, date(2025, 4, 8)]))
    history = daily_series(12, factors=dict.fromkeys(past, 0.4))
    model = fit(history, calendar)
    assert model.holiday_factor == pytest.approx(0.4)
    result = predict(model, calendar, start=date(2025, 4, 7), days=3)
    np.testing.assert_allclose(result.volume, [100.0, 90.0 * 0.4, 80.0])
    np.testing.assert_allclose(result.day_factor, [1.0, 0.4, 1.0])


def test_a_special_period_surge_is_learned_from_past_occurrences() -> None:
    anchors = (date(2025, 1, 24), date(2025, 2, 25), date(2025, 4, 25))
    surge = {-2: 1.5, -1: 2.0, 0: 3.0}
    factors = {
        anchor + timedelta(days=offset): factor
        for anchor in anchors[:2]
        for offset, factor in surge.items()
    }
    period = SpecialPeriod("tax-deadline", anchors, days_before=2)
    calendar = SiteCalendar(special_periods=(period,))
    model = fit(daily_series(12, factors=factors), calendar)
    assert model.special_factors == pytest.approx(
        {("tax-deadline", offset): factor for offset, factor in surge.items()}
    )
    result = predict(model, calendar, start=date(2025, 4, 22), days=4)
    # 22–25 April 2025: Tuesday to Friday; the surge ends on the deadline.
    np.testing.assert_allclose(result.volume, [90.0, 80.0 * 1.5, 70.0 * 2.0, 60.0 * 3.0])


def test_seasonal_naive_repeats_the_week_before() -> None:
    series = daily_series(3)
    naive = seasonal_naive(series, series.interval_start[7:])
    np.testing.assert_allclose(naive, series.volume[:-7])


def test_missing_intervals_count_as_no_contacts() -> None:
    series = IntervalSeries(
        np.array([0, 2 * HALF_HOUR], dtype=np.int64), np.array([4.0, 6.0]),
        np.array([100.0, 200.0]), HALF_HOUR,
    )  # fmt: skip
    assert series.dense().volume.tolist() == [4.0, 0.0, 6.0]


@pytest.mark.parametrize(
    ("starts", "volume", "argument", "words"),
    [
        ([0, 1800, 3600], [1.0, -2.0, 3.0], "volume", "must be a number >= 0"),
        ([0, 1800, 3600], [1.0, np.nan, 3.0], "volume", "must be a number >= 0"),
        ([0, 3600, 1800], [1.0, 2.0, 3.0], "interval_start", "must be sorted"),
        ([0, 1800, 1800], [1.0, 2.0, 3.0], "interval_start", "duplicate interval"),
        ([0, 1800, 3700], [1.0, 2.0, 3.0], "interval_start", "1800-second boundary"),
    ],
)
def test_bad_series_are_refused_naming_the_argument(
    starts: list[int], volume: list[float], argument: str, words: str
) -> None:
    with pytest.raises(ForecastArgumentError, match=words) as caught:
        IntervalSeries(
            np.array(starts, dtype=np.int64), np.array(volume), np.full(3, 100.0), HALF_HOUR
        )
    assert caught.value.argument == argument


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ForecastArgumentError, match="time_zone"):
        SiteCalendar(time_zone="Mars/Olympus")
    with pytest.raises(ForecastArgumentError, match="days"):
        forecast(daily_series(2), SiteCalendar(), start=date(2025, 2, 1), days=0)
    with pytest.raises(ForecastArgumentError, match="holdout_days"):
        backtest(daily_series(4), SiteCalendar(), holdout_days=21)
    only_holidays = SiteCalendar(
        holidays=frozenset(FIRST_MONDAY + timedelta(days=n) for n in range(7))
    )
    with pytest.raises(ForecastArgumentError, match="normal full day"):
        fit(daily_series(1), only_holidays)


@pytest.mark.parametrize("seed", [2024, 1, 2])
def test_the_backtest_beats_seasonal_naive_on_the_example_data(seed: int) -> None:
    calendar = example_calendar()
    results = [backtest(series, calendar) for series in example_history(seed).values()]
    actual = np.concatenate([result.actual for result in results])
    model_error = np.abs(actual - np.concatenate([result.model for result in results])).sum()
    naive_error = np.abs(actual - np.concatenate([result.naive for result in results])).sum()
    # The hold-out holds the October tax deadline and Unity Day; the model knows both.
    assert results[0].first_day == date(2026, 10, 12)
    assert model_error / actual.sum() < 0.8 * naive_error / actual.sum()
    for result in results:
        assert result.model_accuracy.wape < result.naive_accuracy.wape
