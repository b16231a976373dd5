"""``frontline simulate SCENARIO.toml``: what-if runs of the simulator, with progress."""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from frontline.cli.context import CliError, one_line_errors
from frontline.sim import Estimate, ScenarioError, SimulationResult, load_scenario, simulate


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


@one_line_errors
def simulate_command(
    scenario_path: Path = typer.Argument(..., metavar="SCENARIO.toml", help="Scenario file"),
    replications: int | None = typer.Option(
        None, "--replications", "-n", help="Replications (default: the scenario's)"
    ),
    as_json: bool = typer.Option(False, "--json", help="Print every figure as JSON"),
) -> None:
    """Simulate a day of the scenario through the routing engine, with confidence intervals."""
    if replications is not None and replications < 1:
        raise CliError(f"--replications: must be >= 1, got {replications}")
    try:
        scenario = load_scenario(scenario_path)
    except ScenarioError as exc:
        raise CliError(f"{scenario_path}: {exc}") from None
    count = replications or scenario.replications
    # Progress goes to stderr, so --json output on stdout stays clean for a pipe.
    with Progress(
        TextColumn("simulating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("replications", total=count)
        result = simulate(
            scenario, count, progress=lambda done: progress.update(task, completed=done)
        )
    if as_json:
        typer.echo(json.dumps(asdict(result), default=_plain))
    else:
        _print(result)
