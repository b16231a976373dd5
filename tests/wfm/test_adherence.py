"""Adherence and conformance on hand-computed days (docs/adherence.md, the worked example)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontline.wfm.adherence import (
    Activity,
    AdherenceFigures,
    StateSpan,
    adherence,
    exception_at,
    shift_activities,
    total,
)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 7, hour, minute, tzinfo=UTC)


DAY = (at(0), at(0) + timedelta(days=1))
# 09:00-17:00 with a break 12:00-12:30 and training 15:00-16:00: 8 h scheduled.
SHIFT = shift_activities(at(9), at(17), [(at(12), at(12, 30))], [("training", at(15), at(16))])


def test_a_shift_splits_into_phone_time_around_its_break_and_training() -> None:
    assert [(a.start.time().isoformat("minutes"), a.kind) for a in SHIFT] == [
        ("09:00", "phone"),
        ("12:00", "break"),
        ("12:30", "phone"),
        ("15:00", "off_phone"),
        ("16:00", "phone"),
    ]
    assert SHIFT[3].name == "training"
    assert SHIFT[-1].end == at(17)


def test_the_worked_example_of_the_docs() -> None:
    spans = [
        # Logs in 10 minutes late, goes ready.
        StateSpan(at(9, 10), at(11), "ready"),
        StateSpan(at(11), at(11, 30), "busy"),
        # 15 minutes of an unscheduled break.
        StateSpan(at(11, 30), at(11, 45), "not_ready", "break"),
        StateSpan(at(11, 45), at(12), "wrap_up"),
        # The scheduled break taken as lunch, 10 minutes too long.
        StateSpan(at(12), at(12, 40), "not_ready", "lunch"),
        StateSpan(at(12, 40), at(15), "ready"),
        StateSpan(at(15), at(16), "not_ready", "training"),
        # Leaves 30 minutes early.
        StateSpan(at(16), at(16, 30), "ready"),
    ]
    figures = adherence(SHIFT, spans, start=DAY[0], end=DAY[1], now=at(23))
    assert figures.scheduled_seconds == 8 * 3600
    # Out: 10 min late + 15 min break + 10 min long lunch + 30 min early = 65 min.
    assert figures.adherent_seconds == (8 * 60 - 65) * 60
    # Logged in 09:10-16:30: 7 h 20 min.
    assert figures.worked_seconds == (7 * 60 + 20) * 60
    assert figures.adherence == pytest.approx(415 / 480)
    assert figures.conformance == pytest.approx(440 / 480)


def test_only_elapsed_time_counts_and_an_open_span_lasts_until_now() -> None:
    spans = [StateSpan(at(9), None, "ready")]
    figures = adherence(SHIFT, spans, start=DAY[0], end=DAY[1], now=at(10, 30))
    assert (figures.scheduled_seconds, figures.adherent_seconds, figures.worked_seconds) == (
        5400,
        5400,
        5400,
    )
    assert figures.adherence == 1.0


def test_a_break_needs_break_or_lunch_and_training_its_own_reason() -> None:
    brk = Activity(at(12), at(12, 30), "break")
    training = Activity(at(15), at(16), "off_phone", "training")
    wrong = [
        StateSpan(at(12), at(12, 30), "ready"),
        StateSpan(at(15), at(16), "not_ready", "lunch"),
    ]
    right = [
        StateSpan(at(12), at(12, 30), "not_ready", "break"),
        StateSpan(at(15), at(16), "not_ready", "off_phone_work"),
    ]
    kwargs = {"start": DAY[0], "end": DAY[1], "now": at(23)}
    assert adherence([brk, training], wrong, **kwargs).adherent_seconds == 0
    assert adherence([brk, training], right, **kwargs).adherent_seconds == 5400
    # Logged in through both, so conformance is whole either way.
    assert adherence([brk, training], wrong, **kwargs).conformance == 1.0


def test_the_window_clips_a_night_shift_and_time_off_shift_counts_as_worked() -> None:
    night = shift_activities(at(20), at(20) + timedelta(hours=12), [], [])
    spans = [StateSpan(at(18), at(23), "ready")]
    figures = adherence(night, spans, start=DAY[0], end=DAY[1], now=DAY[1] + FIVE)
    # 20:00-24:00 scheduled in this day; 20:00-23:00 kept; 18:00-23:00 logged in.
    assert (figures.scheduled_seconds, figures.adherent_seconds, figures.worked_seconds) == (
        4 * 3600,
        3 * 3600,
        5 * 3600,
    )
    assert figures.conformance == 1.25


def test_no_schedule_means_no_ratio_and_totals_weigh_by_seconds() -> None:
    empty = adherence([], [StateSpan(at(9), at(10), "ready")], start=DAY[0], end=DAY[1], now=at(23))
    assert empty.adherence is None and empty.worked_seconds == 3600
    team = total([AdherenceFigures(3600, 3600, 3600), AdherenceFigures(10800, 5400, 7200)])
    assert team.adherence == pytest.approx(9000 / 14400)
    assert team.conformance == pytest.approx(10800 / 14400)


FIVE = timedelta(minutes=5)


def test_a_logged_out_agent_on_shift_is_an_exception_after_the_threshold() -> None:
    spans = [StateSpan(at(9), at(10), "ready")]
    assert exception_at(SHIFT, spans, now=at(10, 4), threshold=FIVE) is None
    found = exception_at(SHIFT, spans, now=at(10, 7), threshold=FIVE)
    assert found is not None
    assert (found.state, found.since, found.seconds, found.activity.kind) == (
        "logged_out",
        at(10),
        420,
        "phone",
    )


def test_an_unscheduled_break_counts_from_its_start_across_the_scheduled_break() -> None:
    # Not ready from 11:50; the scheduled break 12:00-12:30 is kept, then still away.
    spans = [
        StateSpan(at(9), at(11, 50), "ready"),
        StateSpan(at(11, 50), None, "not_ready", "break"),
    ]
    during = exception_at(SHIFT, spans, now=at(11, 58), threshold=FIVE)
    assert during is not None and (during.since, during.reason) == (at(11, 50), "break")
    # Inside the scheduled break: kept, no exception.
    assert exception_at(SHIFT, spans, now=at(12, 20), threshold=FIVE) is None
    # After it the clock starts again at 12:30.
    assert exception_at(SHIFT, spans, now=at(12, 33), threshold=FIVE) is None
    late = exception_at(SHIFT, spans, now=at(12, 36), threshold=FIVE)
    assert late is not None and late.since == at(12, 30) and late.seconds == 360


def test_no_exception_off_shift_or_in_adherence() -> None:
    assert exception_at(SHIFT, [], now=at(8), threshold=FIVE) is None
    ready = [StateSpan(at(9), None, "ready")]
    assert exception_at(SHIFT, ready, now=at(11), threshold=FIVE) is None
    # Ready during training is out of adherence.
    found = exception_at(SHIFT, ready, now=at(15, 10), threshold=FIVE)
    assert found is not None and found.activity.name == "training" and found.since == at(15)
