"""The ``frontline`` command, run in-process against the suite's databases.

Every failure a user can cause must end as one ``error: …`` line on stderr and a
non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from frontline.auth import service
from frontline.auth.models import Role
from frontline.cli.main import app
from frontline.core.security import verify_password
from tests.conftest import MakeUser

PASSWORD = "a long enough password"


@pytest.fixture
def cli_env(
    database_url: str, session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """The environment a user's shell would give, pointing at this test's database.

    ``session_factory`` is requested so the tables are emptied after the test.
    """
    for name in [name for name in os.environ if name.startswith("FRONTLINE_")]:
        monkeypatch.delenv(name)
    yield {"FRONTLINE_DATABASE_URL": database_url}


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin, env=env)


def assert_one_line_error(result: Result, *, containing: str) -> None:
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert containing in lines[0]


def test_db_upgrade_succeeds(cli_env: dict[str, str]) -> None:
    result = run(cli_env, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "database is at the latest schema"
    assert result.stderr == ""


def test_users_create_reads_the_password_from_stdin(cli_env: dict[str, str], db: Session) -> None:
    result = run(
        cli_env, "users", "create", "Boss@Example.com", "--role", "admin", stdin=f"{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    user = service.user_by_email(db, "boss@example.com")
    assert user is not None
    assert user.role is Role.ADMIN
    assert user.full_name == "Boss"
    assert verify_password(PASSWORD, user.password_hash)
    assert result.stdout.strip() == f"created admin boss@example.com (id {user.id})"


def test_users_create_takes_a_name(cli_env: dict[str, str], db: Session) -> None:
    result = run(
        cli_env,
        "users",
        "create",
        "olga@example.com",
        "--role",
        "planner",
        "--name",
        "Olga Smirnova",
        stdin=f"{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    user = service.user_by_email(db, "olga@example.com")
    assert user is not None
    assert (user.full_name, user.role) == ("Olga Smirnova", Role.PLANNER)


def test_users_create_refuses_a_taken_email(cli_env: dict[str, str], make_user: MakeUser) -> None:
    make_user(Role.AGENT, email="taken@example.com")
    result = run(
        cli_env, "users", "create", "taken@example.com", "--role", "admin", stdin=f"{PASSWORD}\n"
    )
    assert_one_line_error(result, containing="taken@example.com already exists")


def test_users_create_refuses_a_short_password(cli_env: dict[str, str], db: Session) -> None:
    result = run(cli_env, "users", "create", "x@example.com", "--role", "agent", stdin="short\n")
    assert_one_line_error(result, containing="password")
    assert service.user_by_email(db, "x@example.com") is None


def test_users_create_refuses_a_malformed_email(cli_env: dict[str, str]) -> None:
    result = run(cli_env, "users", "create", "not-an-email", "--role", "agent", stdin=PASSWORD)
    assert_one_line_error(result, containing="email")


def test_users_create_refuses_an_unknown_role(cli_env: dict[str, str], db: Session) -> None:
    result = run(
        cli_env, "users", "create", "x@example.com", "--role", "owner", stdin=f"{PASSWORD}\n"
    )
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "owner" in result.stderr
    assert service.user_by_email(db, "x@example.com") is None


def test_tokens_create_prints_a_token_that_opens_the_api(
    cli_env: dict[str, str], make_user: MakeUser, client: TestClient
) -> None:
    make_user(Role.SUPERVISOR, email="sv@example.com")
    result = run(cli_env, "tokens", "create", "sv@example.com")
    assert result.exit_code == 0, result.output
    token = result.stdout.splitlines()[-1]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["email"] == "sv@example.com"


def test_tokens_create_refuses_an_unknown_user(cli_env: dict[str, str]) -> None:
    result = run(cli_env, "tokens", "create", "nobody@example.com")
    assert_one_line_error(result, containing="no active user with e-mail nobody@example.com")


def test_production_without_a_secret_is_one_line(cli_env: dict[str, str]) -> None:
    result = run({**cli_env, "FRONTLINE_ENVIRONMENT": "production"}, "db", "upgrade")
    assert_one_line_error(result, containing="FRONTLINE_SECRET_KEY")


def test_a_bad_setting_names_its_variable(cli_env: dict[str, str]) -> None:
    result = run({**cli_env, "FRONTLINE_LOGIN_MAX_FAILURES": "none"}, "db", "upgrade")
    assert_one_line_error(result, containing="FRONTLINE_LOGIN_MAX_FAILURES")


def test_an_unusable_database_url_is_one_line(cli_env: dict[str, str]) -> None:
    result = run({**cli_env, "FRONTLINE_DATABASE_URL": "nonsense://here"}, "db", "upgrade")
    assert_one_line_error(result, containing="database")
