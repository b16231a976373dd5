"""What every command needs: settings, a migrated database and one-line errors."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from frontline.core.db import create_db_engine, create_session_factory
from frontline.core.errors import FrontlineError
from frontline.core.migrations import upgrade
from frontline.core.settings import InsecureSettingsError, Settings

P = ParamSpec("P")
R = TypeVar("R")


class CliError(Exception):
    """A problem the user can fix; printed as one line."""


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def load_settings() -> Settings:
    try:
        return Settings()
    except InsecureSettingsError as exc:
        raise CliError(str(exc)) from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "FRONTLINE_" + "_".join(str(part) for part in first["loc"]).upper()
        raise CliError(f"{name}: {first['msg']}") from exc


@contextmanager
def migrated_database(settings: Settings) -> Iterator[sessionmaker[Session]]:
    """A session factory on an up-to-date schema; the engine is closed afterwards."""
    engine = create_db_engine(settings.database_url)
    try:
        upgrade(engine)
        yield create_session_factory(engine)
    finally:
        engine.dispose()


def one_line_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the errors a user can cause into one line on stderr and a non-zero exit."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except CliError as exc:
            raise fail(str(exc)) from None
        except FrontlineError as exc:
            where = f" ({exc.field})" if exc.field else ""
            raise fail(f"{exc.message}{where}") from None
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"])
            raise fail(f"{field}: {first['msg']}") from None
        except SQLAlchemyError as exc:
            reason = str(exc.orig if hasattr(exc, "orig") and exc.orig else exc).splitlines()[0]
            raise fail(f"database: {reason}") from None

    return wrapper


def read_secret(prompt: str) -> str:
    """From the prompt on a terminal, from the first line of stdin when piped."""
    if sys.stdin.isatty():
        value: str = typer.prompt(prompt, hide_input=True, confirmation_prompt=True)
        return value
    return sys.stdin.readline().rstrip("\r\n")
