"""Alembic environment: runs on SQLite (batch mode) and PostgreSQL alike."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from frontline.core.db import create_db_engine
from frontline.core.migrations import include_name
from frontline.core.models import Base
from frontline.core.settings import Settings


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_db_engine(Settings().database_url)
    with engine.connect() as new_connection:
        _run(new_connection)
    engine.dispose()


run_migrations_online()
