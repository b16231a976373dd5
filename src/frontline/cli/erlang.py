"""``frontline erlang``: queue metrics for a staffing level, or the staffing for a target."""

from __future__ import annotations

import json
from dataclasses import dataclass

import typer

from frontline.cli.context import CliError, one_line_errors
from frontline.wfm.erlang import QueueMetrics, erlang_a, erlang_c
from frontline.wfm.errors import QueueingArgumentError
from frontline.wfm.staffing import required_agents

# A target "0.8/20": this share of calls answered within that many seconds.
DEFAULT_TARGET_ANSWER_SECONDS = 20.0


@dataclass(frozen=True)
class Target:
    service_level: float
    answer_seconds: float


def parse_target(text: str) -> Target:
    """``"0.8/20"`` or ``"80%/20"`` → share 0.8 within 20 s."""
    share_text, slash, seconds_text = text.partition("/")
    try:
        share = float(share_text.rstrip("%")) / (100 if share_text.endswith("%") else 1)
        seconds = float(seconds_text) if slash else DEFAULT_TARGET_ANSWER_SECONDS
    except ValueError:
        raise CliError(f"--target: expected SHARE/SECONDS such as 0.8/20, got {text!r}") from None
    if not 0 < share < 1:
        raise CliError(f"--target: the share must be between 0 and 1, got {share}")
    return Target(share, seconds)


def _metrics(
    *,
    volume: float,
    interval: float,
    aht: float,
    agents: int,
    answer: float,
    patience: float | None,
) -> QueueMetrics:
    if patience is None:
        return erlang_c(volume, interval, aht, agents, answer)
    return erlang_a(volume, interval, aht, agents, answer, patience)


def _report(agents: int, metrics: QueueMetrics) -> dict[str, float | int | None]:
    abandon = None if metrics.p_abandon is None else float(metrics.p_abandon)
    return {
        "agents": agents,
        "p_wait": float(metrics.p_wait),
        "service_level": float(metrics.service_level),
        "asa_seconds": float(metrics.asa_seconds),
        "occupancy": float(metrics.occupancy),
        "p_abandon": abandon,
    }


def _print(report: dict[str, float | int | None]) -> None:
    typer.echo(f"agents         {report['agents']}")
    typer.echo(f"p_wait         {report['p_wait']:.4f}")
    typer.echo(f"service_level  {report['service_level']:.4f}")
    typer.echo(f"asa_seconds    {report['asa_seconds']:.2f}")
    typer.echo(f"occupancy      {report['occupancy']:.4f}")
    if report["p_abandon"] is not None:
        typer.echo(f"p_abandon      {report['p_abandon']:.4f}")


@one_line_errors
def erlang(
    volume: float = typer.Option(..., "--volume", help="Calls offered in the interval"),
    interval_seconds: float = typer.Option(1800, "--interval-seconds", help="Interval length"),
    aht_seconds: float = typer.Option(..., "--aht-seconds", help="Average handle time"),
    patience_seconds: float | None = typer.Option(
        None, "--patience-seconds", help="Mean patience: switches from Erlang C to Erlang A"
    ),
    agents: int | None = typer.Option(None, "--agents", help="Agents on the phones"),
    target: str | None = typer.Option(
        None, "--target", help="Service goal SHARE/SECONDS, e.g. 0.8/20"
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON"),
) -> None:
    """Queue metrics for --agents, or the fewest agents meeting --target."""
    if agents is None and target is None:
        raise CliError("give --agents N or --target SHARE/SECONDS")
    goal = parse_target(target) if target is not None else None
    answer = goal.answer_seconds if goal else DEFAULT_TARGET_ANSWER_SECONDS
    try:
        if agents is None:
            assert goal is not None
            staffing = required_agents(
                volume, interval_seconds, aht_seconds, goal.service_level, answer, patience_seconds
            )
            agents = int(staffing.agents)
        metrics = _metrics(
            volume=volume,
            interval=interval_seconds,
            aht=aht_seconds,
            agents=agents,
            answer=answer,
            patience=patience_seconds,
        )
    except QueueingArgumentError as exc:
        raise CliError(f"--{exc.argument.replace('_', '-')}: {exc}") from None
    report = _report(agents, metrics)
    if as_json:
        typer.echo(json.dumps(report))
    else:
        _print(report)
