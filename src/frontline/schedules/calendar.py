"""One agent's published schedule as an iCalendar file (RFC 5545), times in UTC."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from icalendar import Calendar, Event

from frontline.core.clock import as_utc
from frontline.schedules.models import ScheduledShift, ShiftKind

PRODUCT_ID = "-//Frontline//Schedule//EN"
UID_DOMAIN = "frontline.schedule"


def schedule_calendar(
    shifts: Sequence[ScheduledShift], titles: dict[ShiftKind, str], stamp: datetime
) -> bytes:
    """Every shift and day off as an event; ``titles`` are in the viewer's language.

    UIDs are stable per row, so a calendar that subscribes to the file updates events
    in place when a later run is published.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    for row in shifts:
        event = Event()
        event.add("uid", f"shift-{row.id}@{UID_DOMAIN}")
        event.add("dtstamp", as_utc(stamp))
        event.add("dtstart", as_utc(row.starts_at))
        event.add("dtend", as_utc(row.ends_at))
        title = titles[row.kind]
        event.add("summary", f"{title} {row.template}".strip())
        if row.kind is ShiftKind.DAY_OFF:
            event.add("transp", "TRANSPARENT")
        if row.breaks:
            event.add("description", "\n".join(f"{start} – {end}" for start, end in row.breaks))
        calendar.add_component(event)
    text: bytes = calendar.to_ical()
    return text
