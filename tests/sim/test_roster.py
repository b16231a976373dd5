"""A roster produced by the planning module, played through the simulator for one day:
per interval the simulated service level against the target, and by how much it misses."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from numpy.typing import NDArray
from typer.testing import CliRunner

from frontline.cli.main import app
from frontline.sim.roster import RosterVerdict, check_roster_day, roster_scenario
from frontline.wfm.history import IntervalSeries, write_history
from frontline.wfm.schedule import Agent, ScheduleProblem, ScheduleResult, schedule
from frontline.wfm.schedule.example import example_templates
from frontline.wfm.schedule.files import read_roster, write_roster
from frontline.wfm.staffing import required_agents

ZONE = "Europe/Moscow"
MONDAY = date(2026, 12, 7)
DAY = MONDAY + timedelta(days=2)  # a Wednesday, inside the week
TARGET, ANSWER_SECONDS, AHT = 0.8, 20.0, 240.0
HALF_HOUR = 1800


def day_volume() -> NDArray[np.float64]:
    """Calls per half hour: a small line open 08:00-20:00 with a late-morning peak."""
    hours = (np.arange(48) + 0.5) / 2
    shape = np.exp(-(((hours - 12.0) / 3.0) ** 2))
    shape[(hours < 8) | (hours >= 20)] = 0.0
    volume: NDArray[np.float64] = np.round(40.0 * shape / shape.max(), 1)
    return volume


def forecast() -> dict[str, IntervalSeries]:
    """The same day every day of the week, as a forecast CSV would hold it (UTC)."""
    volume = day_volume()
    starts, volumes = [], []
    for offset in range(7):
        midnight = datetime.combine(MONDAY + timedelta(days=offset), time(), ZoneInfo(ZONE))
        for k, calls in enumerate(volume):
            if calls > 0:
                starts.append(int(midnight.timestamp()) + k * HALF_HOUR)
                volumes.append(float(calls))
    return {
        "help": IntervalSeries(
            np.array(starts, dtype=np.int64),
            np.array(volumes),
            np.full(len(volumes), AHT),
            HALF_HOUR,
        )
    }


@pytest.fixture(scope="module")
def produced() -> tuple[ScheduleProblem, ScheduleResult]:
    """The planning module's roster: requirement sized by Erlang C, shifts by CP-SAT."""
    need = required_agents(day_volume(), HALF_HOUR, AHT, TARGET, ANSWER_SECONDS).agents
    problem = ScheduleProblem(
        start=MONDAY,
        weeks=1,
        agents=tuple(Agent(f"A{n:02d}", "north", 40.0) for n in range(24)),
        templates=tuple(t for t in example_templates() if not t.night),
        requirement={"north": [int(v) for v in need] * 7},
    )
    return problem, schedule(problem, time_limit_seconds=6.0)


def verdict_of(result: ScheduleResult, replications: int = 12) -> RosterVerdict:
    scenario = roster_scenario(
        result.shifts, MONDAY, forecast(), DAY, time_zone=ZONE, replications=replications
    )
    return check_roster_day(scenario, DAY)


def test_every_interval_is_set_against_the_target(
    produced: tuple[ScheduleProblem, ScheduleResult],
) -> None:
    _, result = produced
    verdict = verdict_of(result)
    assert len(verdict.intervals) == 48
    # The simulated agents are the roster's: on the phones exactly where the scheduler
    # counted them.
    first = (DAY - MONDAY).days * 48
    assert [row.on_phones for row in verdict.intervals] == list(
        result.on_phone["north"][first : first + 48]
    )
    for row, calls in zip(verdict.intervals, day_volume(), strict=True):
        level = row.service_level.mean
        if calls == 0 or level is None:  # a quiet interval may see no call at all
            assert row.miss is None
            continue
        assert row.miss == pytest.approx(max(0.0, TARGET - level))
    assert verdict.meets_target == (verdict.worst_miss == 0)


def test_intervals_staffed_to_erlang_c_meet_the_target_within_the_interval(
    produced: tuple[ScheduleProblem, ScheduleResult],
) -> None:
    """Where the roster gives at least the agents Erlang C asked for (and the interval
    before had them too, so no queue is carried in), the simulated service level's
    confidence interval reaches the target."""
    _, result = produced
    verdict = verdict_of(result, replications=20)
    need = required_agents(day_volume(), HALF_HOUR, AHT, TARGET, ANSWER_SECONDS).agents
    volume, checked = day_volume(), 0
    for k in range(1, 48):
        row, before = verdict.intervals[k], verdict.intervals[k - 1]
        if volume[k] < 5 or row.on_phones < need[k] or before.on_phones < need[k - 1]:
            continue
        assert row.service_level.high is not None
        assert row.service_level.high >= TARGET, (k, row)
        checked += 1
    assert checked >= 6


def test_a_thinner_roster_misses_and_says_by_how_much(
    produced: tuple[ScheduleProblem, ScheduleResult],
) -> None:
    _, result = produced
    full = verdict_of(result)
    thin = replace(result, shifts=result.shifts[::2])
    thinned = verdict_of(thin)
    assert not thinned.meets_target
    assert thinned.worst_miss > full.worst_miss
    assert thinned.worst_miss == max(row.miss or 0.0 for row in thinned.missed)
    full_day, thin_day = full.day_service_level[0][1], thinned.day_service_level[0][1]
    assert thin_day.high is not None and full_day.low is not None
    assert thin_day.high < full_day.low


def test_the_roster_csv_reads_back_as_written(
    produced: tuple[ScheduleProblem, ScheduleResult], tmp_path: Path
) -> None:
    problem, result = produced
    path = tmp_path / "roster.csv"
    write_roster(path, MONDAY, {a.id: a.site for a in problem.agents}, result.shifts)
    assert read_roster(path, MONDAY) == tuple(("north", shift) for shift in result.shifts)


def test_the_cli_reports_per_interval_and_names_bad_options(
    produced: tuple[ScheduleProblem, ScheduleResult], tmp_path: Path
) -> None:
    problem, result = produced
    roster, forecast_file = tmp_path / "roster.csv", tmp_path / "forecast.csv"
    write_roster(roster, MONDAY, {a.id: a.site for a in problem.agents}, result.shifts)
    write_history(forecast_file, forecast())
    runner = CliRunner()
    base = ["simulate", "--roster", str(roster), "--forecast", str(forecast_file)]
    out = runner.invoke(app, [*base, "--day", DAY.isoformat(), "-n", "3", "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    assert report["day"] == DAY.isoformat()
    assert report["target"] == TARGET
    assert len(report["intervals"]) == 48
    assert report["intervals"][24]["start"] == "12:00"
    misses = [row["miss"] for row in report["intervals"] if row["miss"] is not None]
    assert report["worst_miss"] == max(misses)
    assert report["meets_target"] == (max(misses) == 0)
    table = runner.invoke(app, [*base, "--day", DAY.isoformat(), "-n", "2"])
    assert table.exit_code == 0, table.output
    assert "12:00" in table.stdout
    assert "day service level" in table.stdout
    bad_day = runner.invoke(app, [*base, "--day", "7 Dec"])
    assert bad_day.exit_code == 1
    assert "--day" in bad_day.stderr
    empty = runner.invoke(app, [*base, "--day", "2027-01-01"])
    assert empty.exit_code == 1
    assert "--forecast: no calls forecast on 2027-01-01" in empty.stderr
    neither = runner.invoke(app, ["simulate"])
    assert neither.exit_code == 1
    assert "scenario file" in neither.stderr
