"""``frontline simulate SCENARIO.toml``: what-if runs of the simulator, with progress;
``frontline simulate --roster ROSTER.csv --forecast FORECAST.csv --day DAY``: does a
roster meet its service-level target?"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from enum import Enum
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from frontline.cli.context import CliError, one_line_errors
from frontline.sim import (
    Estimate,
    Scenario,
    ScenarioError,
    SimulationResult,
    load_scenario,
    simulate,
)
from frontline.sim.roster import RosterVerdict, check_roster_day, roster_scenario
from frontline.sim.scenario import clock_text
from frontline.wfm.example_data import EXAMPLE_TIME_ZONE
from frontline.wfm.history import HistoryFileError, read_history_file
from frontline.wfm.schedule import ScheduleInputError
from frontline.wfm.schedule.files import read_roster


def _plain(value: object) -> object:
    """JSON for what ``asdict`` leaves: enums by value."""
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"not JSON serialisable: {value!r}")


def _figure(value: Estimate, scale: float = 1.0, digits: int = 1) -> str:
    if value.mean is None:
        return "-"
    text = f"{value.mean * scale:.{digits}f}"
    if value.low is not None and value.high is not None:
        text += f" ±{(value.high - value.low) / 2 * scale:.{digits}f}"
    return text


def _print(result: SimulationResult) -> None:
    typer.echo(
        f"{result.replications} replications, seed {result.seed}, "
        f"{result.confidence:.0%} confidence intervals (±)"
    )
    typer.echo(f"{'queue':<20} {'offered':>12} {'SL %':>12} {'ASA s':>12} {'abandon %':>12}")
    for queue in result.queues:
        day = queue.day
        typer.echo(
            f"{queue.name:<20} {_figure(day.offered, digits=0):>12} "
            f"{_figure(day.service_level, 100):>12} {_figure(day.asa_seconds):>12} "
            f"{_figure(day.abandonment_rate, 100):>12}"
        )
    typer.echo(f"occupancy {_figure(result.day_occupancy, 100)} %")


@contextmanager
def _progress(count: int) -> Iterator[Callable[[int], None]]:
    """A bar on stderr, so --json output on stdout stays clean for a pipe."""
    with Progress(
        TextColumn("simulating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("replications", total=count)
        yield lambda done: progress.update(task, completed=done)


@one_line_errors
def simulate_command(
    scenario_path: Path | None = typer.Argument(
        None, metavar="[SCENARIO.toml]", help="Scenario file"
    ),
    replications: int | None = typer.Option(
        None, "--replications", "-n", help="Replications (default: the scenario's; 10)"
    ),
    as_json: bool = typer.Option(False, "--json", help="Print every figure as JSON"),
    roster_path: Path | None = typer.Option(
        None, "--roster", help="Check this roster CSV (frontline wfm schedule --out) instead"
    ),
    forecast_path: Path | None = typer.Option(
        None, "--forecast", help="With --roster: the forecast CSV (frontline wfm forecast --csv)"
    ),
    day: str | None = typer.Option(None, "--day", help="With --roster: the day, YYYY-MM-DD"),
    time_zone: str = typer.Option(
        EXAMPLE_TIME_ZONE, "--time-zone", help="With --roster: the roster's time zone"
    ),
    target: float = typer.Option(0.8, "--target", help="With --roster: service-level target"),
    answer_seconds: float = typer.Option(
        20.0, "--answer-seconds", help="With --roster: answered within this many seconds"
    ),
    patience_seconds: float | None = typer.Option(
        None, "--patience-seconds", help="With --roster: callers' mean patience (none: wait)"
    ),
) -> None:
    """Simulate a day of the scenario through the routing engine, with confidence intervals;
    or, with --roster, a day of a roster against its forecast and service-level target."""
    if replications is not None and replications < 1:
        raise CliError(f"--replications: must be >= 1, got {replications}")
    if roster_path is not None:
        if scenario_path is not None:
            raise CliError("give a scenario file or --roster, not both")
        _check_roster(
            roster_path,
            forecast_path,
            day,
            time_zone,
            target,
            answer_seconds,
            patience_seconds,
            replications or 10,
            as_json=as_json,
        )
        return
    if scenario_path is None:
        raise CliError("give a scenario file, or --roster with --forecast and --day")
    try:
        scenario = load_scenario(scenario_path)
    except ScenarioError as exc:
        raise CliError(f"{scenario_path}: {exc}") from None
    count = replications or scenario.replications
    with _progress(count) as show:
        result = simulate(scenario, count, progress=show)
    if as_json:
        typer.echo(json.dumps(asdict(result), default=_plain))
    else:
        _print(result)


def _check_roster(
    roster_path: Path,
    forecast_path: Path | None,
    day_text: str | None,
    time_zone: str,
    target: float,
    answer_seconds: float,
    patience_seconds: float | None,
    replications: int,
    *,
    as_json: bool,
) -> None:
    if forecast_path is None or day_text is None:
        raise CliError("--roster needs --forecast and --day")
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        raise CliError(f"--day: expected a date such as 2026-12-07, got {day_text!r}") from None
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise CliError(f"--time-zone: unknown time zone {time_zone!r}") from None
    if not 0 < target <= 1:
        raise CliError(f"--target: must be in (0, 1], got {target}")
    if answer_seconds < 0:
        raise CliError(f"--answer-seconds: must be >= 0, got {answer_seconds}")
    if patience_seconds is not None and patience_seconds <= 0:
        raise CliError(f"--patience-seconds: must be > 0, got {patience_seconds}")
    try:
        shifts = [shift for _, shift in read_roster(roster_path, day)]
    except ScheduleInputError as exc:
        raise CliError(f"--roster: {exc}") from None
    # The forecast's interval decides the simulation's; a roster is planned in half hours.
    try:
        forecast = read_history_file(forecast_path, interval_seconds=1800)
    except HistoryFileError as exc:
        raise CliError(f"--forecast: {forecast_path}: {exc}") from None
    try:
        scenario: Scenario = roster_scenario(
            shifts,
            day,
            forecast,
            day,
            time_zone=time_zone,
            target=target,
            threshold_seconds=answer_seconds,
            patience_seconds=patience_seconds,
            replications=replications,
        )
    except ScenarioError as exc:
        raise CliError(f"--{exc}" if exc.key in ("forecast", "roster") else str(exc)) from None
    with _progress(replications) as show:
        verdict = check_roster_day(scenario, day, progress=show)
    if as_json:
        typer.echo(json.dumps(_verdict_json(verdict)))
    else:
        _print_verdict(verdict)


def _verdict_json(verdict: RosterVerdict) -> dict[str, object]:
    return {
        "day": verdict.day.isoformat(),
        "target": verdict.target,
        "threshold_seconds": verdict.threshold_seconds,
        "meets_target": verdict.meets_target,
        "worst_miss": verdict.worst_miss,
        "day_service_level": {name: asdict(value) for name, value in verdict.day_service_level},
        "intervals": [
            {
                "queue": row.queue,
                "start": clock_text(row.start),
                "on_phones": row.on_phones,
                "offered": row.offered.mean,
                "service_level": asdict(row.service_level),
                "miss": row.miss,
            }
            for row in verdict.intervals
        ],
    }


def _print_verdict(verdict: RosterVerdict) -> None:
    typer.echo(
        f"{verdict.day}: target {verdict.target:.0%} answered in {verdict.threshold_seconds:g} s, "
        f"{verdict.result.replications} replications, "
        f"{verdict.result.confidence:.0%} confidence intervals (±)"
    )
    typer.echo(
        f"{'queue':<16} {'from':>5} {'agents':>6} {'offered':>9} {'SL %':>12} {'miss pp':>8}"
    )
    for row in verdict.intervals:
        if row.miss is None:
            continue
        typer.echo(
            f"{row.queue:<16} {clock_text(row.start):>5} {row.on_phones:>6} "
            f"{_figure(row.offered):>9} {_figure(row.service_level, 100):>12} "
            f"{row.miss * 100:>8.1f}"
        )
    for name, level in verdict.day_service_level:
        typer.echo(f"{name}: day service level {_figure(level, 100)} %")
    if verdict.meets_target:
        typer.echo("meets the target in every interval")
    else:
        typer.echo(
            f"misses the target in {len(verdict.missed)} intervals, "
            f"by up to {verdict.worst_miss * 100:.1f} percentage points"
        )
