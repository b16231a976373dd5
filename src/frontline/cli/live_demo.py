"""``frontline demo --live``: a working center on the running demo server."""

from __future__ import annotations

import typer

from frontline.cli.context import CliError, load_settings, migrated_database
from frontline.demo.catalog import DEMO_PBX_CODE
from frontline.demo.live import LiveDriver, LiveError, LiveStats, prepare_live, revoke_live_tokens
from frontline.sim.scenario import Distribution, clock_text

# A demo line's calls: about three minutes of talk, callers who wait about four minutes.
HANDLE = Distribution(distribution="lognormal", mean_seconds=180, sd_seconds=120)
PATIENCE = Distribution(distribution="exponential", mean_seconds=240)
WRAP_UP_SECONDS = 20.0


def _show(now: float, stats: LiveStats) -> None:
    typer.echo(
        f"{clock_text(now)} simulated · {stats.offered} calls, {stats.answered} answered, "
        f"{stats.abandoned} abandoned, {stats.wrapped_up} wrapped up",
        err=True,
    )


def run_live(
    url: str, speed: float, minutes: float | None, agents: int, calls_per_hour: float, seed: int
) -> None:
    """Prepare the simulated agents from the database, drive the server, clean up."""
    for name, value in (("--speed", speed), ("--calls-per-hour", calls_per_hour)):
        if value <= 0:
            raise CliError(f"{name}: must be > 0, got {value:g}")
    if minutes is not None and minutes <= 0:
        raise CliError(f"--minutes: must be > 0, got {minutes:g}")
    with migrated_database(load_settings()) as factory:
        with factory() as session:
            try:
                live_agents, lines, secret = prepare_live(session, agents, DEMO_PBX_CODE)
            except LiveError as exc:
                raise CliError(str(exc)) from None
        typer.echo(
            f"{len(live_agents)} simulated agents on {len(lines)} lines, {speed:g}x real time "
            f"against {url}; the demo agent stays yours. Ctrl+C stops.",
            err=True,
        )
        try:
            stats = LiveDriver(
                url,
                DEMO_PBX_CODE,
                secret,
                live_agents,
                lines,
                calls_per_hour=calls_per_hour,
                handle=HANDLE,
                patience=PATIENCE,
                wrap_up_seconds=WRAP_UP_SECONDS,
                speed=speed,
                seed=seed,
            ).run(minutes, progress=_show)
        except LiveError as exc:
            raise CliError(str(exc)) from None
        finally:
            with factory() as session:
                revoke_live_tokens(session)
    typer.echo(
        f"done: {stats.offered} calls, {stats.answered} answered, {stats.abandoned} abandoned, "
        f"{stats.wrapped_up} wrapped up"
    )
    if stats.refused:
        typer.echo(f"the server refused {len(stats.refused)} requests, first: {stats.refused[0]}")
