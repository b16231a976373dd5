"""CSV files in and out of the scheduler (the columns are in ``docs/scheduling.md``).

* agents: ``id,site,contract_hours_per_week,on_probation,mentor_id,off_phone`` — the last
  three may be empty; ``off_phone`` reads ``training:120;outbound:30`` (minutes a week);
* requirement: ``site,interval_start,agents`` — local ``YYYY-MM-DDTHH:MM``, one row per
  site and interval of the horizon;
* requests: ``id,agent_id,day,filed_on`` — ISO dates.

Errors name the file, the line and the column.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from frontline.wfm.schedule.inputs import (
    MINUTES_PER_DAY,
    Agent,
    DayOffRequest,
    OffPhoneNeed,
    ScheduleInputError,
)
from frontline.wfm.schedule.roster import OffPhoneBlock, Shift

__all__ = ["read_agents", "read_requests", "read_requirement", "read_roster", "write_roster"]

_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"", "0", "false", "no", "n"}


def _rows(path: Path, columns: Sequence[str]) -> Iterator[tuple[str, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            reader = csv.DictReader(stream)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise ScheduleInputError(path.name, f"missing column(s) {', '.join(missing)}")
            for number, row in enumerate(reader, start=2):
                yield f"{path.name} line {number}", row
    except OSError as exc:
        raise ScheduleInputError(path.name, f"cannot read: {exc.strerror}") from None


def read_agents(path: Path) -> tuple[Agent, ...]:
    agents = []
    for where, row in _rows(path, ("id", "site", "contract_hours_per_week")):
        probation = (row.get("on_probation") or "").strip().lower()
        if probation not in _TRUE | _FALSE:
            raise ScheduleInputError(
                f"{where}: on_probation", f"expected yes or no, got {probation!r}"
            )
        agents.append(
            Agent(
                id=row["id"].strip(),
                site=row["site"].strip(),
                contract_hours_per_week=_number(where, "contract_hours_per_week", row),
                on_probation=probation in _TRUE,
                mentor_id=(row.get("mentor_id") or "").strip() or None,
                off_phone=_off_phone(where, row.get("off_phone") or ""),
            )
        )
    return tuple(agents)


def read_requests(path: Path) -> tuple[DayOffRequest, ...]:
    return tuple(
        DayOffRequest(
            id=row["id"].strip(),
            agent_id=row["agent_id"].strip(),
            day=_date(where, "day", row),
            filed_on=_date(where, "filed_on", row),
        )
        for where, row in _rows(path, ("id", "agent_id", "day", "filed_on"))
    )


def read_requirement(
    path: Path, start: date, weeks: int, interval_minutes: int
) -> dict[str, list[int]]:
    """Agents needed per site and interval; every interval of the horizon must be given."""
    intervals = weeks * 7 * MINUTES_PER_DAY // interval_minutes
    first = datetime.combine(start, datetime.min.time())
    values: dict[str, list[int | None]] = {}
    for where, row in _rows(path, ("site", "interval_start", "agents")):
        try:
            moment = datetime.fromisoformat(row["interval_start"].strip())
        except ValueError:
            raise ScheduleInputError(
                f"{where}: interval_start",
                f"expected 2026-12-07T08:30, got {row['interval_start']!r}",
            ) from None
        minutes = (moment.replace(tzinfo=None) - first) / timedelta(minutes=1)
        index = int(minutes // interval_minutes)
        if minutes % interval_minutes or not 0 <= index < intervals:
            raise ScheduleInputError(
                f"{where}: interval_start", f"not an interval start of the horizon: {moment}"
            )
        agents = _number(where, "agents", row)
        if agents < 0 or agents != int(agents):
            raise ScheduleInputError(
                f"{where}: agents", f"must be a whole number >= 0, got {agents:g}"
            )
        values.setdefault(row["site"].strip(), [None] * intervals)[index] = int(agents)
    requirement = {}
    for site, row_values in values.items():
        if None in row_values:
            gap = first + timedelta(minutes=row_values.index(None) * interval_minutes)
            raise ScheduleInputError(path.name, f"site {site} has no row for {gap:%Y-%m-%dT%H:%M}")
        requirement[site] = [int(v or 0) for v in row_values]
    return requirement


def write_roster(path: Path, start: date, sites: dict[str, str], shifts: Sequence[Shift]) -> None:
    """One row per shift, local times; breaks and off-phone blocks as ``start-end`` lists."""
    first = datetime.combine(start, datetime.min.time())

    def at(minute: int) -> str:
        return (first + timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%M")

    try:
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(["agent_id", "site", "template", "start", "end", "breaks", "off_phone"])
            for s in shifts:
                writer.writerow(
                    [
                        s.agent_id,
                        sites[s.agent_id],
                        s.template,
                        at(s.start_minute),
                        at(s.end_minute),
                        ";".join(f"{at(b)}/{at(e)}" for b, e in s.breaks),
                        ";".join(
                            f"{o.kind}@{at(o.start_minute)}/{at(o.end_minute)}" for o in s.off_phone
                        ),
                    ]
                )
    except OSError as exc:
        raise ScheduleInputError(str(path), f"cannot write: {exc.strerror}") from None


def _number(where: str, column: str, row: dict[str, str]) -> float:
    try:
        return float(row[column])
    except (TypeError, ValueError):
        raise ScheduleInputError(
            f"{where}: {column}", f"expected a number, got {row[column]!r}"
        ) from None


def _date(where: str, column: str, row: dict[str, str]) -> date:
    try:
        return date.fromisoformat(row[column].strip())
    except (AttributeError, ValueError):
        raise ScheduleInputError(
            f"{where}: {column}", f"expected a date such as 2026-12-07, got {row[column]!r}"
        ) from None


def _off_phone(where: str, text: str) -> tuple[OffPhoneNeed, ...]:
    needs = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        kind, _, minutes = part.partition(":")
        if not kind or not minutes.isdigit():
            raise ScheduleInputError(f"{where}: off_phone", f"expected kind:minutes, got {part!r}")
        needs.append(OffPhoneNeed(kind.strip(), int(minutes)))
    return tuple(needs)


def read_roster(path: Path, start: date) -> tuple[tuple[str, Shift], ...]:
    """A roster written by :func:`write_roster` back into ``(site, shift)`` pairs, times in
    minutes from midnight of ``start``."""
    first = datetime.combine(start, datetime.min.time())

    def minute(where: str, column: str, text: str) -> int:
        try:
            moment = datetime.fromisoformat(text.strip())
        except ValueError:
            raise ScheduleInputError(
                f"{where}: {column}", f"expected 2026-12-07T08:30, got {text!r}"
            ) from None
        return int((moment.replace(tzinfo=None) - first) // timedelta(minutes=1))

    def span(where: str, column: str, text: str) -> tuple[int, int]:
        begin, slash, end = text.partition("/")
        if not slash:
            raise ScheduleInputError(f"{where}: {column}", f"expected start/end, got {text!r}")
        return minute(where, column, begin), minute(where, column, end)

    shifts = []
    for where, row in _rows(path, ("agent_id", "site", "start", "end")):
        begin, end = minute(where, "start", row["start"]), minute(where, "end", row["end"])
        if end <= begin:
            raise ScheduleInputError(f"{where}: end", "must be after start")
        breaks = tuple(
            span(where, "breaks", part)
            for part in filter(None, (p.strip() for p in (row.get("breaks") or "").split(";")))
        )
        blocks = []
        for part in filter(None, (p.strip() for p in (row.get("off_phone") or "").split(";"))):
            kind, at, times = part.partition("@")
            if not at:
                raise ScheduleInputError(
                    f"{where}: off_phone", f"expected kind@start/end, got {part!r}"
                )
            blocks.append(OffPhoneBlock(kind, *span(where, "off_phone", times)))
        shift = Shift(
            row["agent_id"].strip(),
            (row.get("template") or "").strip(),
            begin,
            end,
            breaks,
            tuple(blocks),
        )
        shifts.append((row["site"].strip(), shift))
    return tuple(shifts)
