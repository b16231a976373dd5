"""A queue's history and its site's calendar — the forecast's inputs — and history CSVs.

:class:`IntervalSeries` holds one queue's volume and AHT per interval (epoch seconds,
UTC); :class:`SiteCalendar` says where the site is: its time zone, public holidays and
the special periods planners declare. Both check their arguments up front and raise
:class:`ForecastArgumentError` naming the one at fault.

History CSV files are read into one series per queue and written back. A file has a
header and the columns ``interval_start`` (ISO 8601 with a UTC offset, ``Z`` for UTC),
``queue``, ``volume`` (contacts offered, >= 0) and ``aht_seconds`` (their mean handle
time; may be empty where ``volume`` is 0). Rows may come in any order; finer intervals
than the one asked for are summed into it, with a volume-weighted AHT, and coarser ones
are refused. A bad row raises :class:`HistoryFileError` naming the row (as a spreadsheet
numbers it, the header being row 1) and the column.

>>> import io
>>> text = "interval_start,queue,volume,aht_seconds\\n2025-03-03T09:00:00+03:00,tax,4,200\\n"
>>> read_history(io.StringIO(text), interval_seconds=1800)["tax"].volume.tolist()
[4.0]
>>> read_history(io.StringIO(text.replace(",4,", ",-4,")), interval_seconds=1800)
Traceback (most recent call last):
...
frontline.wfm.history.HistoryFileError: row 2, column volume: must be a number >= 0, got '-4'
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "COLUMNS",
    "DAY_SECONDS",
    "ForecastArgumentError",
    "HistoryFileError",
    "IntervalSeries",
    "SiteCalendar",
    "SpecialPeriod",
    "holiday_dates",
    "read_history",
    "read_history_file",
    "select_queue",
    "write_history",
]

COLUMNS = ("interval_start", "queue", "volume", "aht_seconds")
DAY_SECONDS = 86_400

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


class ForecastArgumentError(ValueError):
    """An argument out of range; ``argument`` names the parameter at fault."""

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(f"{argument} {message}")
        self.argument = argument


@dataclass(frozen=True, slots=True)
class SpecialPeriod:
    """A recurring event that planners declare, such as a tax-reporting deadline.

    Each date in ``anchors`` is one occurrence; the days from ``days_before`` before to
    ``days_after`` after it each get their own factor, learned from past occurrences.
    """

    name: str
    anchors: tuple[date, ...]
    days_before: int = 7
    days_after: int = 0

    def __post_init__(self) -> None:
        if not self.name:
            raise ForecastArgumentError("name", "must not be empty")
        if self.days_before < 0 or self.days_after < 0:
            raise ForecastArgumentError("days_before, days_after", "must be >= 0")


@dataclass(frozen=True, slots=True)
class SiteCalendar:
    """Where the queue's site is: its time zone, holidays and declared special periods."""

    time_zone: str = "UTC"
    holidays: frozenset[date] = frozenset()
    special_periods: tuple[SpecialPeriod, ...] = ()
    zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            zone = ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ForecastArgumentError(
                "time_zone", f"must be a time zone such as Europe/Moscow, got {self.time_zone!r}"
            ) from None
        object.__setattr__(self, "zone", zone)

    def special_offsets(self, day: date) -> list[tuple[str, int]]:
        """``(period name, days from its nearest anchor)`` for each period ``day`` is in."""
        found = []
        for period in self.special_periods:
            offsets = [
                (day - anchor).days
                for anchor in period.anchors
                if -period.days_before <= (day - anchor).days <= period.days_after
            ]
            if offsets:
                found.append((period.name, min(offsets, key=abs)))
        return found

    def is_normal(self, day: date) -> bool:
        return day not in self.holidays and not self.special_offsets(day)

    def midnight(self, day: date) -> int:
        """Epoch seconds of the local midnight that starts ``day``."""
        local = datetime(day.year, day.month, day.day, tzinfo=self.zone)
        return int(local.timestamp())


@dataclass(frozen=True, slots=True)
class IntervalSeries:
    """One queue's history: contacts and their mean handle time per interval.

    ``interval_start`` holds epoch seconds (UTC), strictly increasing multiples of
    ``interval_seconds``; intervals left out had no contacts. ``aht_seconds`` is NaN where
    unknown (no contacts).
    """

    interval_start: IntArray
    volume: FloatArray
    aht_seconds: FloatArray
    interval_seconds: int

    def __post_init__(self) -> None:
        if self.interval_seconds <= 0 or DAY_SECONDS % self.interval_seconds:
            raise ForecastArgumentError(
                "interval_seconds", f"must divide a day, got {self.interval_seconds}"
            )
        starts, volume, aht = self.interval_start, self.volume, self.aht_seconds
        if not starts.shape == volume.shape == aht.shape or starts.ndim != 1:
            raise ForecastArgumentError(
                "interval_start, volume, aht_seconds", "must be 1-d arrays of one length"
            )
        _check_sorted(starts, self.interval_seconds)
        bad = ~np.isfinite(volume) | (volume < 0)
        if np.any(bad):
            index = int(np.argmax(bad))
            raise ForecastArgumentError(
                "volume", f"must be a number >= 0, got {volume[index]!r} at index {index}"
            )
        bad = aht < 0
        if np.any(bad):
            raise ForecastArgumentError("aht_seconds", f"must be >= 0, got {aht[bad][0]!r}")

    @classmethod
    def from_volumes(
        cls,
        *,
        first_start: int,
        interval_seconds: int,
        volume: ArrayLike,
        aht_seconds: ArrayLike | None = None,
    ) -> IntervalSeries:
        """Consecutive intervals from ``first_start`` (epoch seconds)."""
        volumes = np.asarray(volume, dtype=np.float64)
        starts = first_start + interval_seconds * np.arange(volumes.size, dtype=np.int64)
        aht = np.full(volumes.shape, np.nan) if aht_seconds is None else aht_seconds
        return cls(starts, volumes, np.asarray(aht, dtype=np.float64), interval_seconds)

    def dense(self) -> IntervalSeries:
        """Every interval from the first to the last, the missing ones with no contacts."""
        if self.interval_start.size == 0:
            return self
        first, last = int(self.interval_start[0]), int(self.interval_start[-1])
        starts = np.arange(first, last + 1, self.interval_seconds, dtype=np.int64)
        index = (self.interval_start - first) // self.interval_seconds
        volume = np.zeros(starts.size)
        aht = np.full(starts.size, np.nan)
        volume[index], aht[index] = self.volume, self.aht_seconds
        return IntervalSeries(starts, volume, aht, self.interval_seconds)

    def before(self, end: int) -> IntervalSeries:
        keep = self.interval_start < end
        return IntervalSeries(
            self.interval_start[keep], self.volume[keep], self.aht_seconds[keep],
            self.interval_seconds,
        )  # fmt: skip


class HistoryFileError(ValueError):
    """A history file or choice the user can fix; ``row`` and ``column`` say where."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        where = ", ".join(
            part
            for part in (
                f"row {row}" if row is not None else "",
                f"column {column}" if column else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.row = row
        self.column = column


@dataclass(frozen=True, slots=True)
class _Row:
    start: int
    volume: float
    aht_seconds: float


def read_history_file(path: Path, *, interval_seconds: int) -> dict[str, IntervalSeries]:
    """:func:`read_history` of a file; a missing or unreadable file is a HistoryFileError."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            return read_history(stream, interval_seconds=interval_seconds)
    except OSError as exc:
        raise HistoryFileError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise HistoryFileError(f"{path} is not UTF-8 text") from None


def read_history(stream: TextIO, *, interval_seconds: int) -> dict[str, IntervalSeries]:
    """One series per queue, summed into intervals of ``interval_seconds``."""
    reader = csv.DictReader(stream)
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or ())]
    if missing:
        raise HistoryFileError(f"missing column(s) {', '.join(missing)}; expected {COLUMNS}")
    rows: dict[str, dict[int, list[_Row]]] = {}
    seen: dict[tuple[str, int], int] = {}
    for number, record in enumerate(reader, start=2):
        queue = (record.get("queue") or "").strip()
        if not queue:
            raise HistoryFileError("must not be empty", row=number, column="queue")
        row = _parse_row(record, number)
        earlier = seen.setdefault((queue, row.start), number)
        if earlier != number:
            raise HistoryFileError(
                f"duplicate interval for queue {queue!r}, also on row {earlier}",
                row=number,
                column="interval_start",
            )
        bucket = row.start - row.start % interval_seconds
        rows.setdefault(queue, {}).setdefault(bucket, []).append(row)
    if not rows:
        raise HistoryFileError("the history has no rows")
    for queue in rows:
        _check_finer(queue, [start for (name, start) in seen if name == queue], interval_seconds)
    return {queue: _series(buckets, interval_seconds) for queue, buckets in sorted(rows.items())}


def _check_finer(queue: str, starts: list[int], interval_seconds: int) -> None:
    """Refuse history coarser than the interval asked for: it cannot be split evenly.

    The history's own interval is the greatest common divisor of the gaps between its
    rows, so intervals without contacts (no row) do not make it look coarser.
    """
    steps = np.diff(np.unique(np.array(starts, dtype=np.int64)))
    step = int(np.gcd.reduce(steps)) if steps.size else 0
    if step > interval_seconds:
        raise HistoryFileError(
            f"queue {queue!r} has {step // 60}-minute intervals; "
            f"cannot forecast {interval_seconds // 60}-minute intervals from it",
            column="interval_start",
        )


def write_history(path: Path, history: Mapping[str, IntervalSeries]) -> int:
    """Write the series as a history CSV (UTC timestamps); returns the rows written."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for queue, series in history.items():
            starts = series.interval_start.tolist()
            for start, volume, aht in zip(
                starts, series.volume.tolist(), series.aht_seconds.tolist(), strict=True
            ):
                stamp = datetime.fromtimestamp(start, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                writer.writerow((stamp, queue, f"{volume:g}", "" if math.isnan(aht) else aht))
                count += 1
    return count


def select_queue(history: Mapping[str, IntervalSeries], queue: str) -> IntervalSeries:
    """The series of ``queue``, or an error listing the queues the history has."""
    try:
        return history[queue]
    except KeyError:
        known = ", ".join(sorted(history))
        raise HistoryFileError(f"unknown queue {queue!r}; the history has: {known}") from None


def holiday_dates(country: str, years: Iterable[int]) -> frozenset[date]:
    """The public holidays of ``country`` (ISO 3166 code, e.g. RU) in ``years``."""
    try:
        return frozenset(holidays.country_holidays(country.upper(), years=list(years)))
    except NotImplementedError:
        raise HistoryFileError(f"no holiday calendar for country {country!r}") from None


def _parse_row(record: dict[str, str | None], number: int) -> _Row:
    text = (record.get("interval_start") or "").strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise HistoryFileError(
            f"expected an ISO 8601 time such as 2025-03-03T09:00:00+03:00, got {text!r}",
            row=number,
            column="interval_start",
        ) from None
    if moment.tzinfo is None:
        raise HistoryFileError(
            f"needs a UTC offset (+03:00 or Z), got {text!r}", row=number, column="interval_start"
        )
    volume = _number(record, "volume", number)
    aht_text = (record.get("aht_seconds") or "").strip()
    aht = math.nan if not aht_text and volume == 0 else _number(record, "aht_seconds", number)
    return _Row(int(moment.timestamp()), volume, aht)


def _number(record: dict[str, str | None], column: str, number: int) -> float:
    text = (record.get(column) or "").strip()
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise HistoryFileError(f"must be a number >= 0, got {text!r}", row=number, column=column)
    return value


def _series(buckets: dict[int, list[_Row]], interval_seconds: int) -> IntervalSeries:
    starts = sorted(buckets)
    volume = np.zeros(len(starts))
    aht = np.full(len(starts), np.nan)
    for index, start in enumerate(starts):
        rows = buckets[start]
        volume[index] = sum(row.volume for row in rows)
        timed = [row for row in rows if row.volume > 0 and not math.isnan(row.aht_seconds)]
        weight = sum(row.volume for row in timed)
        if weight:
            aht[index] = sum(row.volume * row.aht_seconds for row in timed) / weight
    return IntervalSeries(np.array(starts, dtype=np.int64), volume, aht, interval_seconds)


def _check_sorted(starts: IntArray, interval_seconds: int) -> None:
    step = np.diff(starts)
    if np.any(step == 0):
        at = int(starts[1:][step == 0][0])
        raise ForecastArgumentError("interval_start", f"has a duplicate interval {_iso(at)}")
    if np.any(step < 0):
        at = int(starts[1:][step < 0][0])
        raise ForecastArgumentError("interval_start", f"must be sorted, {_iso(at)} is out of order")
    misaligned = starts % interval_seconds != 0
    if np.any(misaligned):
        at = int(starts[misaligned][0])
        raise ForecastArgumentError(
            "interval_start", f"{_iso(at)} is not on a {interval_seconds}-second boundary"
        )


def _iso(epoch_seconds: int) -> str:
    return datetime.fromtimestamp(epoch_seconds, UTC).isoformat()
