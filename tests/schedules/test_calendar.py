"""The .ics file of a published schedule, read back with an iCalendar parser."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar

from frontline.schedules.calendar import schedule_calendar
from frontline.schedules.models import ScheduledShift, ShiftKind

STAMP = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_shifts_and_days_off_become_utc_events_with_stable_uids() -> None:
    shift = ScheduledShift(
        id=7,
        kind=ShiftKind.WORK,
        template="D8",
        starts_at=datetime(2026, 12, 7, 5, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 7, 13, 0, tzinfo=UTC),
        breaks=[["2026-12-07T08:00:00+00:00", "2026-12-07T08:30:00+00:00"]],
    )
    day_off = ScheduledShift(
        id=8,
        kind=ShiftKind.DAY_OFF,
        template="",
        starts_at=datetime(2026, 12, 8, 21, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 9, 21, 0, tzinfo=UTC),
        breaks=[],
    )
    titles = {ShiftKind.WORK: "Смена", ShiftKind.DAY_OFF: "Выходной"}
    text = schedule_calendar([shift, day_off], titles, STAMP)
    assert b"DTSTART:20261207T050000Z" in text  # UTC form, RFC 5545 section 3.3.5
    events = Calendar.from_ical(text).walk("VEVENT")
    assert [str(event["summary"]) for event in events] == ["Смена D8", "Выходной"]
    assert [str(event["uid"]) for event in events] == [
        "shift-7@frontline.schedule",
        "shift-8@frontline.schedule",
    ]
    assert events[0].decoded("dtend") == datetime(2026, 12, 7, 13, 0, tzinfo=UTC)
    assert str(events[1]["transp"]) == "TRANSPARENT"
