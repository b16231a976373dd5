"""``frontline users`` and ``frontline tokens``: accounts from the command line."""

from __future__ import annotations

import typer

from frontline.auth import actions, service
from frontline.auth.models import Role
from frontline.auth.schemas import UserCreate
from frontline.cli.context import (
    CliError,
    load_settings,
    migrated_database,
    one_line_errors,
    read_secret,
)

users = typer.Typer(help="User accounts.", no_args_is_help=True)
tokens = typer.Typer(help="Personal API tokens.", no_args_is_help=True)


@users.command("create")
@one_line_errors
def create_user(
    email: str = typer.Argument(..., help="The sign-in e-mail"),
    role: Role = typer.Option(
        ..., "--role", help="agent, supervisor, planner, quality_analyst or admin"
    ),
    name: str = typer.Option("", "--name", help="Full name; defaults to the e-mail's local part"),
) -> None:
    """Create a user; the password is read from the prompt, or from stdin when piped."""
    payload = UserCreate(
        email=email,
        role=role,
        full_name=name or email.partition("@")[0],
        password=read_secret("Password"),
    )
    with migrated_database(load_settings()) as factory, factory() as session:
        user = actions.create_user(session, None, payload)
        typer.echo(f"created {user.role.value} {user.email} (id {user.id})")


@tokens.command("create")
@one_line_errors
def create_token(
    email: str = typer.Argument(..., help="Whose token"),
    name: str = typer.Option("cli", "--name", help="A label to recognise the token by"),
) -> None:
    """Create an API token; the token is printed as the last line, and only once."""
    with migrated_database(load_settings()) as factory, factory() as session:
        user = service.user_by_email(session, email)
        if user is None or not user.active:
            raise CliError(f"no active user with e-mail {email}")
        _, secret = actions.create_token(session, user, name)
        typer.echo(f"token for {user.email} (keep it secret; it is not shown again):")
        typer.echo(secret)
