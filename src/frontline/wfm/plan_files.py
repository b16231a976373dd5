"""Files around the staffing plan: the forecast CSV in, queue settings in TOML, the plan
out as rows for CSV, JSON and an XLSX workbook.

The forecast CSV is what ``frontline wfm forecast --csv`` writes: ``interval_start``
(``YYYY-MM-DDTHH:MM:SSZ``), ``queue``, ``volume``, ``aht_seconds`` (empty where unknown).
The settings file is described in ``docs/staffing.md``.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import numpy as np
from openpyxl import Workbook  # type: ignore[import-untyped]  # openpyxl ships no type hints

from frontline.people.models import AgentLevel
from frontline.wfm.plan import (
    DEFAULT_LEVEL_MIX,
    METHODS,
    QueueDemand,
    QueueSettings,
    Shrinkage,
    StaffingPlan,
)
from frontline.wfm.salaries import SALARY_TABLE, SalaryBand

__all__ = [
    "PLAN_COLUMNS",
    "PlanFileError",
    "PlanSettings",
    "plan_rows",
    "read_forecast_file",
    "read_plan_settings",
    "write_plan_csv",
    "write_plan_xlsx",
]

FORECAST_COLUMNS = ("interval_start", "queue", "volume", "aht_seconds")
PLAN_COLUMNS = (
    "interval_start",
    "queue",
    "method",
    "volume",
    "aht_seconds",
    "agents",
    "scheduled_agents",
    "service_level",
    "p_abandon",
)
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_SOURCE = (
    "Call-centre operator salaries, 12 Russian cities, April 2012, roubles a month "
    "(research centre of a Russian recruitment portal); bonuses excluded"
)


class PlanFileError(ValueError):
    """A forecast or settings file the user can fix; the message names the place."""


@dataclass(frozen=True, slots=True)
class PlanSettings:
    """Everything a settings file sets: per-queue settings over the defaults, the level
    mix and one full-time agent's hours a week."""

    defaults: QueueSettings = field(default_factory=QueueSettings)
    queues: Mapping[str, QueueSettings] = field(default_factory=dict)
    level_mix: Mapping[AgentLevel, float] = field(default_factory=lambda: DEFAULT_LEVEL_MIX)
    hours_per_week: float = 40.0

    def for_queues(self, names: list[str]) -> dict[str, QueueSettings]:
        return {name: self.queues.get(name, self.defaults) for name in names}


def read_forecast_file(path: Path, *, interval_seconds: int) -> dict[str, QueueDemand]:
    """Per queue, its intervals in time order."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            return _read_forecast(csv.DictReader(stream), interval_seconds, path)
    except OSError as exc:
        raise PlanFileError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise PlanFileError(f"{path}: not UTF-8 text") from None


def _read_forecast(
    reader: csv.DictReader[str], interval_seconds: int, path: Path
) -> dict[str, QueueDemand]:
    missing = [column for column in FORECAST_COLUMNS if column not in (reader.fieldnames or ())]
    if missing:
        raise PlanFileError(f"{path}: missing column(s) {', '.join(missing)}")
    rows: dict[str, list[tuple[int, float, float]]] = {}
    for number, record in enumerate(reader, start=2):
        where = f"{path}: row {number}"
        queue = (record["queue"] or "").strip()
        if not queue:
            raise PlanFileError(f"{where}: queue: must not be empty")
        start = _timestamp(record["interval_start"], f"{where}: interval_start")
        volume = _number(record["volume"], f"{where}: volume")
        aht_text = (record["aht_seconds"] or "").strip()
        aht = _number(aht_text, f"{where}: aht_seconds") if aht_text else float("nan")
        if volume > 0 and not aht > 0:
            raise PlanFileError(f"{where}: aht_seconds: must be > 0 where volume > 0")
        rows.setdefault(queue, []).append((start, volume, aht))
    if not rows:
        raise PlanFileError(f"{path}: no intervals")
    demand = {}
    for queue, intervals in rows.items():
        intervals.sort()
        starts = np.array([row[0] for row in intervals], dtype=np.int64)
        if np.any(np.diff(starts) == 0):
            raise PlanFileError(f"{path}: interval_start: duplicate interval for queue {queue!r}")
        demand[queue] = QueueDemand(
            interval_start=starts,
            volume=np.array([row[1] for row in intervals]),
            aht_seconds=np.array([row[2] for row in intervals]),
            interval_seconds=interval_seconds,
        )
    return demand


def _timestamp(text: str | None, where: str) -> int:
    try:
        moment = datetime.strptime((text or "").strip(), _TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise PlanFileError(
            f"{where}: expected a time such as 2026-11-09T06:00:00Z, got {text!r}"
        ) from None
    return int(moment.timestamp())


def _number(text: str | None, where: str) -> float:
    try:
        value = float(text or "")
    except ValueError:
        raise PlanFileError(f"{where}: expected a number, got {text!r}") from None
    if not np.isfinite(value) or value < 0:
        raise PlanFileError(f"{where}: must be a finite number >= 0, got {text!r}")
    return value


_QUEUE_KEYS = {f.name for f in fields(QueueSettings)} - {"shrinkage"}
_SHRINKAGE_KEYS = {f.name for f in fields(Shrinkage)}


def read_plan_settings(path: Path | None, overrides: Mapping[str, Any]) -> PlanSettings:
    """The settings file (if any) with ``overrides`` (command-line options, by setting
    name, None when not given) applied to its defaults; queues' own tables win."""
    document: dict[str, Any] = {}
    if path is not None:
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise PlanFileError(f"{path}: cannot read: {exc.strerror}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise PlanFileError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(document) - {"defaults", "queues", "level_mix", "hours_per_week"}
    if unknown:
        raise PlanFileError(f"settings: unknown key {sorted(unknown)[0]!r}")
    table = {**_table(document, "defaults", "defaults")}
    given = {key: value for key, value in overrides.items() if value is not None}
    shrinkage = {**_table(table, "shrinkage", "defaults.shrinkage")}
    for key in list(given):
        if key in _SHRINKAGE_KEYS:
            shrinkage[key] = given.pop(key)
    defaults = _queue_settings(
        {**table, **given, "shrinkage": shrinkage}, QueueSettings(), "defaults"
    )
    queues = {
        name: _queue_settings(
            _table(_table(document, "queues", "queues"), name, f"queues.{name}"),
            defaults,
            f"queues.{name}",
        )
        for name in _table(document, "queues", "queues")
    }
    return PlanSettings(
        defaults=defaults,
        queues=queues,
        level_mix=_level_mix(document.get("level_mix")),
        hours_per_week=_positive(document.get("hours_per_week", 40.0), "hours_per_week"),
    )


def _table(document: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = document.get(key, {})
    if not isinstance(value, dict):
        raise PlanFileError(f"{where}: expected a table")
    return value


def _queue_settings(table: Mapping[str, Any], base: QueueSettings, where: str) -> QueueSettings:
    unknown = set(table) - _QUEUE_KEYS - {"shrinkage"}
    if unknown:
        raise PlanFileError(f"{where}.{sorted(unknown)[0]}: unknown setting")
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key == "shrinkage":
            continue
        name = f"{where}.{key}"
        if key == "method":
            if value not in METHODS:
                raise PlanFileError(f"{name}: must be erlang_c or erlang_a, got {value!r}")
            changes[key] = value
        elif key in {"pool", "site"}:
            if not isinstance(value, str) or not value:
                raise PlanFileError(f"{name}: expected text, got {value!r}")
            if key == "site" and value not in SALARY_TABLE:
                raise PlanFileError(f"{name}: must be one of {', '.join(SALARY_TABLE)}")
            changes[key] = value
        else:
            changes[key] = _positive(value, name, allow_zero=key == "target_answer_seconds")
    shrinkage_table = _table(table, "shrinkage", f"{where}.shrinkage")
    unknown = set(shrinkage_table) - _SHRINKAGE_KEYS
    if unknown:
        raise PlanFileError(f"{where}.shrinkage.{sorted(unknown)[0]}: unknown setting")
    shrinkage = replace(
        base.shrinkage,
        **{
            key: _share(value, f"{where}.shrinkage.{key}") for key, value in shrinkage_table.items()
        },
    )
    if shrinkage.total >= 1:
        raise PlanFileError(f"{where}.shrinkage: the shares must add up to less than 1")
    return replace(base, **changes, shrinkage=shrinkage)


def _positive(value: Any, where: str, *, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PlanFileError(f"{where}: expected a number, got {value!r}")
    if not (value >= 0 if allow_zero else value > 0):
        raise PlanFileError(f"{where}: must be {'>=' if allow_zero else '>'} 0, got {value}")
    return float(value)


def _share(value: Any, where: str) -> float:
    share = _positive(value, where, allow_zero=True)
    if share >= 1:
        raise PlanFileError(f"{where}: must be below 1, got {value}")
    return share


def _level_mix(table: Any) -> Mapping[AgentLevel, float]:
    if table is None:
        return DEFAULT_LEVEL_MIX
    if not isinstance(table, dict):
        raise PlanFileError("level_mix: expected a table")
    mix = {}
    for key, value in table.items():
        try:
            level = AgentLevel(key)
        except ValueError:
            known = ", ".join(AgentLevel)
            raise PlanFileError(f"level_mix.{key}: not an agent level ({known})") from None
        mix[level] = _positive(value, f"level_mix.{key}", allow_zero=True)
    if abs(sum(mix.values()) - 1.0) > 1e-9:
        raise PlanFileError(f"level_mix: shares must add up to 1, got {sum(mix.values()):g}")
    return mix


def plan_rows(plan: StaffingPlan) -> Iterator[dict[str, str | float | int | None]]:
    """One row per queue and interval, the columns of :data:`PLAN_COLUMNS`."""
    for queue in plan.queues:
        abandon = queue.p_abandon
        for i, start in enumerate(queue.demand.interval_start.tolist()):
            aht = float(queue.demand.aht_seconds[i])
            yield {
                "interval_start": _time(start),
                "queue": queue.queue,
                "method": queue.settings.method,
                "volume": round(float(queue.demand.volume[i]), 3),
                "aht_seconds": None if np.isnan(aht) else round(aht, 1),
                "agents": int(queue.agents[i]),
                "scheduled_agents": int(queue.scheduled_agents[i]),
                "service_level": round(float(queue.service_level[i]), 4),
                "p_abandon": None if abandon is None else round(float(abandon[i]), 4),
            }


def pool_rows(plan: StaffingPlan) -> Iterator[dict[str, str | int]]:
    for pool in plan.pools:
        for i, start in enumerate(pool.interval_start.tolist()):
            yield {
                "interval_start": _time(start),
                "pool": pool.pool,
                "queues": " ".join(pool.queues),
                "separate_agents": int(pool.separate_agents[i]),
                "pooled_agents": int(pool.pooled_agents[i]),
                "separate_scheduled": int(pool.separate_scheduled[i]),
                "pooled_scheduled": int(pool.pooled_scheduled[i]),
            }


def site_rows(plan: StaffingPlan) -> Iterator[dict[str, str | float]]:
    for site in plan.sites:
        yield {
            "site": site.site,
            "fte_separate": round(site.fte_separate, 2),
            "fte_pooled": round(site.fte_pooled, 2),
            "salary_mid_rub": round(site.salary_rub[1], 2),
            "monthly_cost_separate_low_rub": round(site.monthly_cost_separate_rub[0]),
            "monthly_cost_separate_mid_rub": round(site.monthly_cost_separate_rub[1]),
            "monthly_cost_separate_high_rub": round(site.monthly_cost_separate_rub[2]),
            "monthly_cost_pooled_mid_rub": round(site.monthly_cost_pooled_rub[1]),
        }


def _time(start: int) -> str:
    return datetime.fromtimestamp(start, UTC).strftime(_TIME_FORMAT)


def write_plan_csv(path: Path, plan: StaffingPlan) -> int:
    rows = list(plan_rows(plan))
    try:
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=PLAN_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    except OSError as exc:
        raise PlanFileError(f"--csv: cannot write {path}: {exc.strerror}") from None
    return len(rows)


def write_plan_xlsx(path: Path | IO[bytes], plan: StaffingPlan) -> None:
    """Sheets: intervals (as the CSV), pools, sites and the salary table with its source;
    to a file, or to a stream (a download)."""
    book = Workbook()
    sheets: list[tuple[str, list[dict[str, Any]]]] = [
        ("intervals", list(plan_rows(plan))),
        ("pools", list(pool_rows(plan))),
        ("sites", list(site_rows(plan))),
    ]
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        if rows:
            sheet.append(list(rows[0]))
            for row in rows:
                sheet.append(list(row.values()))
    salaries = book.create_sheet("salaries")
    salaries.append(
        [
            "city",
            "average_rub",
            *(f"band_{band}_{e}" for band in SalaryBand for e in ("low_rub", "high_rub")),
        ]
    )
    for city, table in SALARY_TABLE.items():
        ranges = [
            v
            for band in SalaryBand
            for v in (table.bands[band].low_rub, table.bands[band].high_rub)
        ]
        salaries.append([city, table.average_rub, *ranges])
    salaries.append([])
    salaries.append([_SOURCE])
    try:
        book.save(path)
    except OSError as exc:
        raise PlanFileError(f"--xlsx: cannot write {path}: {exc.strerror}") from None
