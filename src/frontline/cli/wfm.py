"""``frontline wfm``: forecast contact volumes, backtest the forecast, size the staff, write
example data."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import typer
from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

from frontline.cli.context import CliError, one_line_errors
from frontline.wfm.errors import QueueingArgumentError
from frontline.wfm.example_data import (
    EXAMPLE_COUNTRY,
    EXAMPLE_TIME_ZONE,
    example_calendar,
    example_history,
    tax_deadlines,
)
from frontline.wfm.forecast import (
    Accuracy,
    BacktestResult,
    Forecast,
    ForecastArgumentError,
    IntervalSeries,
    SiteCalendar,
    backtest,
    forecast,
)
from frontline.wfm.history import (
    HistoryFileError,
    holiday_dates,
    read_history_file,
    select_queue,
    write_history,
)
from frontline.wfm.plan import QueueDemand, StaffingPlan, staffing_plan
from frontline.wfm.plan_files import (
    PlanFileError,
    read_forecast_file,
    read_plan_settings,
    site_rows,
    write_plan_csv,
    write_plan_xlsx,
)
from frontline.wfm.schedule import (
    Progress,
    ScheduleInfeasibleError,
    ScheduleInputError,
    ScheduleProblem,
    ScheduleResult,
    schedule,
)
from frontline.wfm.schedule.example import example_problem, example_templates
from frontline.wfm.schedule.files import read_agents, read_requests, read_requirement, write_roster

app = typer.Typer(
    help="Workforce planning: forecast contact volumes, size the staff, schedule shifts.",
    no_args_is_help=True,
)

COUNTRY_OPTION = typer.Option(EXAMPLE_COUNTRY, "--country", help="Holidays of this country")
ZONE_OPTION = typer.Option(EXAMPLE_TIME_ZONE, "--time-zone", help="The site's time zone")
TAX_OPTION = typer.Option(
    True, "--tax-deadlines/--no-tax-deadlines", help="Declare the Russian tax deadlines"
)
INTERVAL_OPTION = typer.Option(30, "--interval-minutes", help="Interval length, minutes")


@dataclass(frozen=True)
class _Site:
    country: str
    time_zone: str
    tax_deadlines: bool

    def calendar(self, first: date, last: date) -> SiteCalendar:
        years = range(first.year, last.year + 1)
        periods = (tax_deadlines(years),) if self.tax_deadlines else ()
        try:
            public = holiday_dates(self.country, years)
        except HistoryFileError as exc:
            raise CliError(f"--country: {exc}") from None
        return SiteCalendar(time_zone=self.time_zone, holidays=public, special_periods=periods)


# The core's argument names that a command-line option sets directly.
_OPTIONS = {"time_zone": "--time-zone", "days": "--days", "holdout_days": "--holdout-days"}


@contextmanager
def _user_errors() -> Iterator[None]:
    """The core's argument errors as one-line CLI errors, naming the option where one fits."""
    try:
        yield
    except ForecastArgumentError as exc:
        option = _OPTIONS.get(exc.argument)
        raise CliError(f"{option}: {exc}" if option else str(exc)) from None


def _read(path: Path, interval_minutes: int, queue: str | None = None) -> dict[str, IntervalSeries]:
    try:
        history = read_history_file(path, interval_seconds=_interval_seconds(interval_minutes))
    except HistoryFileError as exc:
        raise CliError(f"{path}: {exc}") from None
    if queue is None:
        return history
    try:
        return {queue: select_queue(history, queue)}
    except HistoryFileError as exc:
        raise CliError(f"--queue: {exc}") from None


def _interval_seconds(minutes: int) -> int:
    if minutes <= 0 or 1440 % minutes:
        raise CliError(f"--interval-minutes: must divide a day (15, 30, 60…), got {minutes}")
    return minutes * 60


def _first_day(history: Mapping[str, IntervalSeries]) -> date:
    first = min(int(series.interval_start[0]) for series in history.values())
    return datetime.fromtimestamp(first, UTC).date()


@app.command("forecast")
@one_line_errors
def forecast_command(
    history_file: Path = typer.Option(..., "--history", help="History CSV"),
    start: str = typer.Option(..., "--start", help="First local day, YYYY-MM-DD"),
    days: int = typer.Option(..., "--days", help="Days to forecast"),
    interval_minutes: int = INTERVAL_OPTION,
    queue: str | None = typer.Option(None, "--queue", help="Only this queue"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON"),
    csv_out: Path | None = typer.Option(None, "--csv", help="Write the forecast to this CSV"),
    country: str = COUNTRY_OPTION,
    time_zone: str = ZONE_OPTION,
    tax: bool = TAX_OPTION,
) -> None:
    """Volume and AHT per interval for DAYS days from START, per queue."""
    try:
        first = date.fromisoformat(start)
    except ValueError:
        raise CliError(f"--start: expected a date such as 2026-11-09, got {start!r}") from None
    if days < 1:
        raise CliError(f"--days: must be >= 1, got {days}")
    if as_json and csv_out is not None:
        raise CliError("--json and --csv: give one of them, not both")
    with _user_errors():
        history = _read(history_file, interval_minutes, queue)
        last = date.fromordinal(first.toordinal() + days)
        calendar = _Site(country, time_zone, tax).calendar(_first_day(history), last)
        results = {
            name: forecast(series, calendar, start=first, days=days)
            for name, series in history.items()
        }
    rows = list(_forecast_rows(results))
    if csv_out is not None:
        _write_forecast(csv_out, rows)
        typer.echo(f"wrote {len(rows)} intervals to {csv_out}")
    elif as_json:
        typer.echo(json.dumps(rows))
    else:
        typer.echo(f"{'interval_start':<22}{'queue':<16}{'volume':>9}{'aht_seconds':>13}")
        for row in rows:
            aht = "" if row["aht_seconds"] is None else f"{row['aht_seconds']:.1f}"
            typer.echo(
                f"{row['interval_start']:<22}{row['queue']:<16}{row['volume']:>9.2f}{aht:>13}"
            )


@app.command("backtest")
@one_line_errors
def backtest_command(
    history_file: Path | None = typer.Option(
        None, "--history", help="History CSV; the example data when left out"
    ),
    holdout_days: int = typer.Option(28, "--holdout-days", help="Days held out, at the end"),
    interval_minutes: int = INTERVAL_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print JSON"),
    country: str = COUNTRY_OPTION,
    time_zone: str = ZONE_OPTION,
    tax: bool = TAX_OPTION,
) -> None:
    """MAE and WAPE of the forecast against seasonal-naive on the last HOLDOUT days."""
    with _user_errors():
        if history_file is None:
            history, calendar = example_history(), example_calendar()
        else:
            history = _read(history_file, interval_minutes)
            last = datetime.fromtimestamp(
                max(int(series.interval_start[-1]) for series in history.values()), UTC
            ).date()
            calendar = _Site(country, time_zone, tax).calendar(_first_day(history), last)
        results = {
            name: backtest(series, calendar, holdout_days=holdout_days)
            for name, series in history.items()
        }
    report = _BacktestReport.of(results, holdout_days)
    if as_json:
        typer.echo(json.dumps(report.as_json()))
    else:
        report.print()


@app.command("staff")
@one_line_errors
def staff_command(
    forecast_file: Path | None = typer.Option(
        None, "--forecast", help="Forecast CSV, as `frontline wfm forecast --csv` writes it"
    ),
    example: bool = typer.Option(False, "--example", help="Forecast the example data instead"),
    days: int = typer.Option(1, "--days", help="Days to forecast with --example"),
    settings_file: Path | None = typer.Option(
        None, "--settings", help="Queue settings, TOML (see docs/staffing.md)"
    ),
    interval_minutes: int = INTERVAL_OPTION,
    method: str | None = typer.Option(None, "--method", help="erlang_c or erlang_a"),
    service_level: float | None = typer.Option(
        None, "--service-level", help="Share answered in time, e.g. 0.8"
    ),
    answer_seconds: float | None = typer.Option(
        None, "--answer-seconds", help="Target answer time, seconds"
    ),
    patience_seconds: float | None = typer.Option(
        None, "--patience-seconds", help="Mean patience, seconds (Erlang A)"
    ),
    breaks: float | None = typer.Option(None, "--breaks", help="Shrinkage: breaks share"),
    training: float | None = typer.Option(None, "--training", help="Shrinkage: training share"),
    absence: float | None = typer.Option(None, "--absence", help="Shrinkage: absence share"),
    site: str | None = typer.Option(None, "--site", help="City of the salary table"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON"),
    csv_out: Path | None = typer.Option(None, "--csv", help="Write the plan to this CSV"),
    xlsx_out: Path | None = typer.Option(None, "--xlsx", help="Write the plan to this XLSX"),
) -> None:
    """Agents per interval and queue (Erlang C or A), shared pools and monthly cost per site."""
    if (forecast_file is None) == (not example):
        raise CliError("--forecast or --example: give exactly one of them")
    overrides = {
        "method": method,
        "service_level_target": service_level,
        "target_answer_seconds": answer_seconds,
        "patience_seconds": patience_seconds,
        "breaks": breaks,
        "training": training,
        "absence": absence,
        "site": site,
    }
    try:
        settings = read_plan_settings(settings_file, overrides)
        demand = (
            _example_demand(days)
            if forecast_file is None
            else read_forecast_file(
                forecast_file, interval_seconds=_interval_seconds(interval_minutes)
            )
        )
        plan = staffing_plan(
            demand,
            settings.for_queues(list(demand)),
            level_mix=settings.level_mix,
            hours_per_week=settings.hours_per_week,
        )
        if csv_out is not None:
            count = write_plan_csv(csv_out, plan)
            typer.echo(f"wrote {count} intervals to {csv_out}", err=as_json)
        if xlsx_out is not None:
            write_plan_xlsx(xlsx_out, plan)
            typer.echo(f"wrote the plan to {xlsx_out}", err=as_json)
    except PlanFileError as exc:
        raise CliError(str(exc)) from None
    except QueueingArgumentError as exc:
        raise CliError(f"settings: {exc}") from None
    if as_json:
        typer.echo(json.dumps(_plan_json(plan)))
    else:
        _print_plan(plan)


def _example_demand(days: int) -> dict[str, QueueDemand]:
    """The forecast of the example history for DAYS days after its last day."""
    if days < 1:
        raise CliError(f"--days: must be >= 1, got {days}")
    history, calendar = example_history(), example_calendar()
    last = max(int(series.interval_start[-1]) for series in history.values())
    start = date.fromordinal(datetime.fromtimestamp(last, UTC).date().toordinal() + 1)
    with _user_errors():
        results = {
            name: forecast(series, calendar, start=start, days=days)
            for name, series in history.items()
        }
    return {
        name: QueueDemand(
            interval_start=result.interval_start,
            volume=np.round(result.volume, 3),
            aht_seconds=np.round(result.aht_seconds, 1),
            interval_seconds=history[name].interval_seconds,
        )
        for name, result in results.items()
    }


def _plan_json(plan: StaffingPlan) -> dict[str, object]:
    return {
        "queues": [
            {
                "queue": queue.queue,
                "method": queue.settings.method,
                "pool": queue.settings.pool,
                "site": queue.settings.site,
                "shrinkage": round(queue.settings.shrinkage.total, 4),
                "interval_start": [
                    datetime.fromtimestamp(start, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                    for start in queue.demand.interval_start.tolist()
                ],
                "agents": queue.agents.tolist(),
                "scheduled_agents": queue.scheduled_agents.tolist(),
                "service_level": np.round(queue.service_level, 4).tolist(),
            }
            for queue in plan.queues
        ],
        "pools": [
            {
                "pool": pool.pool,
                "queues": list(pool.queues),
                "separate_agents": pool.separate_agents.tolist(),
                "pooled_agents": pool.pooled_agents.tolist(),
                "separate_scheduled": pool.separate_scheduled.tolist(),
                "pooled_scheduled": pool.pooled_scheduled.tolist(),
            }
            for pool in plan.pools
        ],
        "sites": list(site_rows(plan)),
    }


def _print_plan(plan: StaffingPlan) -> None:
    typer.echo(
        f"{'queue':<16}{'method':<10}{'intervals':>10}{'peak agents':>13}"
        f"{'peak scheduled':>16}{'agent-hours':>13}"
    )
    for queue in plan.queues:
        hours = float(queue.scheduled_agents.sum()) * queue.demand.interval_seconds / 3600
        typer.echo(
            f"{queue.queue:<16}{queue.settings.method:<10}{queue.agents.size:>10}"
            f"{int(queue.agents.max(initial=0)):>13}"
            f"{int(queue.scheduled_agents.max(initial=0)):>16}{hours:>13,.1f}"
        )
    for pool in plan.pools:
        typer.echo(
            f"pool {pool.pool} ({', '.join(pool.queues)}): peak agents "
            f"{int(pool.separate_agents.max(initial=0))} separately, "
            f"{int(pool.pooled_agents.max(initial=0))} pooled"
        )
    for row in site_rows(plan):
        typer.echo(
            f"site {row['site']}: {row['fte_separate']:,.1f} FTE separately, "
            f"{row['fte_pooled']:,.1f} pooled; monthly cost "
            f"{row['monthly_cost_separate_mid_rub']:,} RUB "
            f"({row['monthly_cost_separate_low_rub']:,}-"
            f"{row['monthly_cost_separate_high_rub']:,}), "
            f"pooled {row['monthly_cost_pooled_mid_rub']:,} RUB (2012 salaries)"
        )


@app.command("example-data")
@one_line_errors
def example_data_command(
    out: Path = typer.Argument(..., help="CSV file to write"),
    seed: int = typer.Option(2024, "--seed", help="Random seed"),
) -> None:
    """Write the example history: two years of 30-minute intervals, three queues."""
    try:
        count = write_history(out, example_history(seed))
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror}") from None
    typer.echo(f"wrote {count} rows to {out}")


def _forecast_rows(results: Mapping[str, Forecast]) -> Iterator[dict[str, str | float | None]]:
    for queue, result in results.items():
        for start, volume, aht in zip(
            result.interval_start.tolist(),
            result.volume.tolist(),
            result.aht_seconds.tolist(),
            strict=True,
        ):
            yield {
                "interval_start": datetime.fromtimestamp(start, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "queue": queue,
                "volume": round(volume, 3),
                "aht_seconds": None if math.isnan(aht) else round(aht, 1),
            }


def _write_forecast(path: Path, rows: list[dict[str, str | float | None]]) -> None:
    try:
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(
                stream, fieldnames=["interval_start", "queue", "volume", "aht_seconds"]
            )
            writer.writeheader()
            writer.writerows(rows)
    except OSError as exc:
        raise CliError(f"--csv: cannot write {path}: {exc.strerror}") from None


def _accuracy(accuracy: Accuracy) -> dict[str, float]:
    return {"mae": round(accuracy.mae, 4), "wape": round(accuracy.wape, 4)}


@dataclass(frozen=True)
class _BacktestReport:
    holdout_days: int
    holdout_start: str
    contacts: float
    model: Accuracy
    naive: Accuracy
    queues: dict[str, tuple[Accuracy, Accuracy]]

    @classmethod
    def of(cls, results: Mapping[str, BacktestResult], holdout_days: int) -> _BacktestReport:
        actual = np.concatenate([result.actual for result in results.values()])
        model = np.concatenate([result.model for result in results.values()])
        naive = np.concatenate([result.naive for result in results.values()])
        return cls(
            holdout_days=holdout_days,
            holdout_start=min(result.first_day for result in results.values()).isoformat(),
            contacts=float(actual.sum()),
            model=Accuracy.of(actual, model),
            naive=Accuracy.of(actual, naive),
            queues={
                name: (result.model_accuracy, result.naive_accuracy)
                for name, result in results.items()
            },
        )

    @property
    def wape_ratio(self) -> float | None:
        return self.model.wape / self.naive.wape if self.naive.wape else None

    def as_json(self) -> dict[str, object]:
        ratio = self.wape_ratio
        return {
            "holdout_days": self.holdout_days,
            "holdout_start": self.holdout_start,
            "contacts": self.contacts,
            "model": _accuracy(self.model),
            "naive": _accuracy(self.naive),
            "wape_ratio": None if ratio is None else round(ratio, 4),
            "queues": {
                name: {"model": _accuracy(model), "naive": _accuracy(naive)}
                for name, (model, naive) in self.queues.items()
            },
        }

    def print(self) -> None:
        typer.echo(
            f"hold-out: {self.holdout_days} days from {self.holdout_start}, "
            f"{self.contacts:,.0f} contacts"
        )
        header = f"{'queue':<16}{'model MAE':>10}{'model WAPE':>12}{'naive MAE':>11}"
        typer.echo(f"{header}{'naive WAPE':>12}")
        for name, (model, naive) in [*self.queues.items(), ("all", (self.model, self.naive))]:
            typer.echo(
                f"{name:<16}{model.mae:>10.2f}{model.wape:>12.1%}"
                f"{naive.mae:>11.2f}{naive.wape:>12.1%}"
            )
        typer.echo(
            f"MAE   model {self.model.mae:.2f}, naive {self.naive.mae:.2f} contacts/interval"
        )
        typer.echo(f"WAPE  model {self.model.wape:.1%}, naive {self.naive.wape:.1%}")
        ratio = "n/a" if self.wape_ratio is None else f"{self.wape_ratio:.2f}"
        typer.echo(f"WAPE ratio (model / naive): {ratio}")


@app.command("schedule")
@one_line_errors
def schedule_command(
    example: bool = typer.Option(False, "--example", help="Schedule the built-in example"),
    example_agents: int = typer.Option(250, "--example-agents", help="Agents in the example"),
    agents_file: Path | None = typer.Option(None, "--agents", help="Agents CSV"),
    requirement_file: Path | None = typer.Option(None, "--requirement", help="Requirement CSV"),
    requests_file: Path | None = typer.Option(None, "--requests", help="Day-off requests CSV"),
    start: str | None = typer.Option(None, "--start", help="First day (a Monday), YYYY-MM-DD"),
    weeks: int = typer.Option(4, "--weeks", help="Weeks to schedule"),
    time_limit: float = typer.Option(100.0, "--time-limit", help="Seconds the search may take"),
    out: Path | None = typer.Option(None, "--out", help="Write the roster to this CSV"),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON"),
) -> None:
    """A roster for WEEKS weeks: shifts, breaks and off-phone work, every rule verified."""
    problem = _schedule_problem(
        example, example_agents, agents_file, requirement_file, requests_file, start, weeks
    )
    with _schedule_errors(), _progress_bar(time_limit, quiet=as_json) as show:
        result = schedule(problem, time_limit_seconds=time_limit, progress=show)
    if out is not None:
        sites = {agent.id: agent.site for agent in problem.agents}
        with _schedule_errors():
            write_roster(out, problem.start, sites, result.shifts)
    summary = _schedule_summary(result)
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        _print_schedule(summary, out)
    if not result.publishable:
        first = result.violations[0].message
        raise CliError(f"roster failed verification ({len(result.violations)} problems): {first}")


def _schedule_problem(
    example: bool,
    example_agents: int,
    agents_file: Path | None,
    requirement_file: Path | None,
    requests_file: Path | None,
    start: str | None,
    weeks: int,
) -> ScheduleProblem:
    if example:
        if example_agents < 1:
            raise CliError(f"--example-agents: must be >= 1, got {example_agents}")
        if weeks < 1:
            raise CliError(f"--weeks: must be >= 1, got {weeks}")
        return example_problem(agents=example_agents, weeks=weeks)
    if agents_file is None or requirement_file is None or start is None:
        raise CliError("give --example, or --agents, --requirement and --start")
    try:
        first = date.fromisoformat(start)
    except ValueError:
        raise CliError(f"--start: expected a date such as 2026-12-07, got {start!r}") from None
    if weeks < 1:
        raise CliError(f"--weeks: must be >= 1, got {weeks}")
    with _schedule_errors():
        return ScheduleProblem(
            start=first,
            weeks=weeks,
            agents=read_agents(agents_file),
            templates=example_templates(),
            requirement=read_requirement(requirement_file, first, weeks, 30),
            requests=read_requests(requests_file) if requests_file else (),
        )


@contextmanager
def _schedule_errors() -> Iterator[None]:
    try:
        yield
    except (ScheduleInputError, ScheduleInfeasibleError) as exc:
        raise CliError(str(exc)) from None


@contextmanager
def _progress_bar(seconds: float, *, quiet: bool) -> Iterator[Callable[[Progress], None]]:
    """A bar over the time limit showing the phase, best under-staffing and the bound."""
    if quiet:
        yield lambda _: None
        return
    with RichProgress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), transient=True
    ) as bar:
        task = bar.add_task("checking rules", total=seconds)

        def show(progress: Progress) -> None:
            under = "-" if progress.under_staffing is None else f"{progress.under_staffing:,}"
            bound = "-" if progress.lower_bound is None else f"{progress.lower_bound:,.0f}"
            bar.update(
                task,
                completed=min(progress.elapsed_seconds, seconds),
                description=f"{progress.phase}: steps {progress.steps}, "
                f"under-staffing {under}, LP bound {bound}",
            )

        yield show


def _schedule_summary(result: ScheduleResult) -> dict[str, object]:
    gap = result.gap_to_lp
    return {
        "shifts": len(result.shifts),
        "under_staffing": result.under_staffing,
        "over_staffing": result.over_staffing,
        "lp_lower_bound": None
        if result.lp_lower_bound is None
        else round(result.lp_lower_bound, 2),
        "gap_to_lp": None if gap is None else round(gap, 4),
        "solver_objective": result.solver_objective,
        "solver_bound": result.solver_bound,
        "solver_gap": round(result.solver_gap, 4),
        "publishable": result.publishable,
        "violations": [v.message for v in result.violations],
        "requests": [
            {"id": d.request_id, "honoured": d.honoured, "reason": d.reason}
            for d in result.requests
        ],
        "unplaced_off_phone_minutes": result.unplaced_off_phone_minutes,
        "fair_shares": {
            site: {"nights": list(share.nights), "weekend_shifts": list(share.weekend_shifts)}
            for site, share in result.fair_shares.items()
        },
        "elapsed_seconds": round(result.elapsed_seconds, 2),
    }


def _print_schedule(summary: dict[str, object], out: Path | None) -> None:
    gap = summary["gap_to_lp"]
    typer.echo(f"shifts: {summary['shifts']:,}")
    typer.echo(
        f"under-staffing: {summary['under_staffing']:,} agent-intervals "
        f"(LP bound {summary['lp_lower_bound']}, gap "
        f"{'n/a' if gap is None else f'{gap:.1%}'})"
    )
    typer.echo(f"over-staffing: {summary['over_staffing']:,} agent-intervals")
    requests = summary["requests"]
    assert isinstance(requests, list)
    refused = [r for r in requests if not r["honoured"]]
    typer.echo(f"day-off requests: {len(requests) - len(refused)} honoured, {len(refused)} refused")
    for request in refused:
        typer.echo(f"  {request['id']}: {request['reason']}")
    shares = summary["fair_shares"]
    assert isinstance(shares, dict)
    for site, share in shares.items():
        typer.echo(
            f"{site}: nights {share['nights'][0]}-{share['nights'][1]}, "
            f"weekend shifts {share['weekend_shifts'][0]}-{share['weekend_shifts'][1]} per agent"
        )
    typer.echo(f"rules verified: {'yes' if summary['publishable'] else 'no'}")
    typer.echo(f"time: {summary['elapsed_seconds']} s")
    if out is not None:
        typer.echo(f"wrote the roster to {out}")
