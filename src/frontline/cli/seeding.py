"""``frontline seed``: demo data, with a progress bar."""

from __future__ import annotations

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from sqlalchemy.orm import Session, sessionmaker

from frontline.cli.context import load_settings, migrated_database, one_line_errors
from frontline.demo.seed import SeedReport, seed_demo

app = typer.Typer(help="Load data.", no_args_is_help=True)


def seed_with_progress(
    factory: sessionmaker[Session], *, agents: int, customers: int, seed: int = 2026
) -> SeedReport:
    columns = (
        TextColumn("{task.description:<12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=False) as progress:
        tasks: dict[str, TaskID] = {}

        def advance(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(step, total=total)
            progress.update(tasks[step], completed=done, total=total)

        return seed_demo(factory, agents=agents, customers=customers, seed=seed, progress=advance)


def print_logins(report: SeedReport) -> None:
    added = ", ".join(f"{count} {table}" for table, count in report.created.items() if count)
    typer.echo(f"added: {added or 'nothing (already loaded)'}")
    typer.echo("demo logins:")
    for login in report.logins:
        typer.echo(f"  {login.role.value:<16} {login.email:<40} {login.password}")


@app.command("demo")
@one_line_errors
def seed_demo_command(
    agents: int = typer.Option(250, "--agents", min=1, max=20_000, help="How many agents"),
    customers: int = typer.Option(
        50_000, "--customers", min=0, max=5_000_000, help="How many customers"
    ),
    seed: int = typer.Option(2026, "--seed", help="Random seed; the same seed gives the same data"),
) -> None:
    """Load the demo data; running it again adds only what is missing."""
    with migrated_database(load_settings()) as factory:
        report = seed_with_progress(factory, agents=agents, customers=customers, seed=seed)
    print_logins(report)
