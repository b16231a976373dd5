"""Settings: one typed object from ``FRONTLINE_*`` variables, unsafe values refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from frontline.core.settings import (
    DEFAULT_SECRET_KEY,
    Environment,
    InsecureSettingsError,
    Settings,
)

GOOD_SECRET = "k" * 40


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own ``FRONTLINE_*`` variables must not leak into these tests."""
    for name in [name for name in os.environ if name.startswith("FRONTLINE_")]:
        monkeypatch.delenv(name)


def test_production_with_the_default_secret_refuses_to_start() -> None:
    with pytest.raises(InsecureSettingsError, match="FRONTLINE_SECRET_KEY"):
        Settings(_env_file=None, environment=Environment.PRODUCTION)


def test_production_with_the_default_secret_from_the_environment_refuses_to_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FRONTLINE_ENVIRONMENT", "production")
    monkeypatch.setenv("FRONTLINE_SECRET_KEY", DEFAULT_SECRET_KEY)
    with pytest.raises(InsecureSettingsError, match="FRONTLINE_SECRET_KEY"):
        Settings(_env_file=None)


def test_production_with_a_short_secret_refuses_to_start() -> None:
    with pytest.raises(InsecureSettingsError, match="at least 32"):
        Settings(_env_file=None, environment=Environment.PRODUCTION, secret_key="s" * 31)


def test_production_with_a_private_secret_starts() -> None:
    settings = Settings(_env_file=None, environment=Environment.PRODUCTION, secret_key=GOOD_SECRET)
    assert settings.secret_key == GOOD_SECRET


def test_development_accepts_the_default_secret() -> None:
    assert Settings(_env_file=None).secret_key == DEFAULT_SECRET_KEY


def test_variables_with_the_prefix_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTLINE_DATABASE_URL", "postgresql+psycopg://frontline@db/frontline")
    monkeypatch.setenv("FRONTLINE_LOGIN_MAX_FAILURES", "7")
    monkeypatch.setenv("FRONTLINE_ENVIRONMENT", "test")
    monkeypatch.setenv("FRONTLINE_SECRET_KEY", GOOD_SECRET)
    settings = Settings(_env_file=None)
    assert settings.database_url == "postgresql+psycopg://frontline@db/frontline"
    assert settings.login_max_failures == 7
    assert settings.environment is Environment.TEST
    assert not settings.is_sqlite


def test_variables_without_the_prefix_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://someone-else@db/other")
    assert Settings(_env_file=None).database_url == "sqlite:///var/frontline.db"


def test_an_env_file_is_read(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("FRONTLINE_DEFAULT_LOCALE=en\n")
    assert Settings(_env_file=env_file).default_locale == "en"


def test_a_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTLINE_LOGIN_MAX_FAILURES", "0")
    with pytest.raises(ValidationError, match="login_max_failures"):
        Settings(_env_file=None)


def test_any_environment_but_development_refuses_the_default_secret() -> None:
    with pytest.raises(InsecureSettingsError):
        Settings(_env_file=None, environment=Environment.TEST)
