"""Fixtures shared by the suite: every database test runs on SQLite and on PostgreSQL.

The schema is built once per backend by the real migrations; after each test every
table is emptied, so tests see a clean database and may commit freely (the app does).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, delete, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from frontline.auth import actions
from frontline.auth.models import Role, User
from frontline.auth.schemas import UserCreate
from frontline.core.db import create_db_engine, create_session_factory
from frontline.core.migrations import upgrade
from frontline.core.models import Base
from frontline.core.settings import Environment, Settings
from frontline.web.app import create_app

BACKENDS = ("sqlite", "postgresql")
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "correct horse battery"
# Every environment but development refuses the default secret key.
TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-to-use"


def _postgres_admin_url() -> str:
    return os.environ.get("FRONTLINE_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


@contextmanager
def throwaway_database(backend: str, directory: Path) -> Iterator[str]:
    """The URL of a new, migrated database of ``backend``, dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite:///{directory / f'frontline-{uuid.uuid4().hex[:8]}.db'}"
        _migrate(url)
        yield url
        return
    admin_url = make_url(_postgres_admin_url())
    name = f"frontline_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    try:
        _migrate(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A new, migrated database of each backend for the whole session."""
    with throwaway_database(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


def _migrate(url: str) -> None:
    engine = create_db_engine(url)
    upgrade(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(
        _env_file=None,
        environment=Environment.TEST,
        database_url=database_url,
        secret_key=TEST_SECRET_KEY,
        login_max_failures=3,
        login_rate_limit_per_minute=50,
        # The chat tests count message numbers; the assistant's answers in a chat are
        # tested on their own (tests/assistant/test_widget.py).
        chat_assistant=False,
    )


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> Iterator[sessionmaker[Session]]:
    yield create_session_factory(engine)
    _empty_tables(engine)


def _empty_tables(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))


@pytest.fixture
def db(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


@pytest.fixture(scope="session")
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI, session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


MakeUser = Callable[..., User]


@pytest.fixture
def make_user(db: Session) -> MakeUser:
    """Create a user of ``role``; e-mails are unique per call."""

    def make(
        role: Role = Role.AGENT, *, email: str | None = None, password: str = PASSWORD
    ) -> User:
        payload = UserCreate(
            email=email or f"{role.value}.{uuid.uuid4().hex[:8]}@example.com",
            full_name=f"Test {role.value}",
            role=role,
            password=password,
        )
        return actions.create_user(db, None, payload)

    return make


ApiAs = Callable[[Role], TestClient]


@pytest.fixture
def api_as(app: FastAPI, client: TestClient, db: Session, make_user: MakeUser) -> Iterator[ApiAs]:
    """A client carrying a fresh bearer token of a new user with ``role``."""
    opened: list[TestClient] = []

    def as_role(role: Role) -> TestClient:
        user = make_user(role)
        _, secret = actions.create_token(db, user, "test")
        role_client = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
        opened.append(role_client)
        return role_client

    yield as_role
    for role_client in opened:
        role_client.close()


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
