"""The migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from frontline.core.db import create_db_engine
from frontline.core.migrations import include_name, is_current, upgrade
from frontline.core.models import Base
from frontline.core.settings import Environment, Settings
from frontline.web.app import create_app
from tests.conftest import TEST_SECRET_KEY


def test_the_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_name": include_name,
            },
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_the_migrated_database_is_current(engine: Engine) -> None:
    assert is_current(engine)


def test_upgrading_again_changes_nothing(engine: Engine) -> None:
    upgrade(engine)
    assert is_current(engine)


@pytest.fixture
def empty_sqlite(tmp_path: Path) -> Iterator[Engine]:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    yield engine
    engine.dispose()


def test_a_database_never_migrated_is_not_current(empty_sqlite: Engine) -> None:
    assert not is_current(empty_sqlite)


def test_upgrade_brings_an_empty_database_to_current(empty_sqlite: Engine) -> None:
    upgrade(empty_sqlite)
    assert is_current(empty_sqlite)


def test_readyz_refuses_a_database_never_migrated(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None,
        environment=Environment.TEST,
        database_url=f"sqlite:///{tmp_path / 'never-migrated.db'}",
        secret_key=TEST_SECRET_KEY,
    )
    app = create_app(settings)
    with TestClient(app) as client:
        ready = client.get("/readyz")
        alive = client.get("/healthz")
    app.state.engine.dispose()
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "migrations pending"}
    assert alive.status_code == 200
