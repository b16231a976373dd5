"""``frontline db``: the schema."""

from __future__ import annotations

import typer

from frontline.cli.context import load_settings, migrated_database, one_line_errors

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command("upgrade")
@one_line_errors
def upgrade_command() -> None:
    """Migrate the database to the latest schema."""
    settings = load_settings()
    with migrated_database(settings):
        typer.echo("database is at the latest schema")
