"""Schema migrations, run programmatically by the CLI, the demo and the tests."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

# Tables the migrations make beside the models' (full-text indexes: an FTS5 virtual table
# and its shadow tables on SQLite, a tsvector table on PostgreSQL), and the search's
# PostgreSQL-only index on kb_articles; schema comparison skips them.
UNMAPPED_TABLE_PREFIXES = ("kb_fts",)


def include_name(
    name: str | None, type_: str, _parent_names: MutableMapping[Any, str | None]
) -> bool:
    """Alembic's ``include_name`` hook: compare only what the models describe."""
    if name is None or type_ not in ("table", "index"):
        return True
    return not name.startswith(UNMAPPED_TABLE_PREFIXES)


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", "frontline:migrations")
    return config


def upgrade(engine: Engine) -> None:
    """Migrate the database behind ``engine`` to the latest schema."""
    with engine.begin() as connection:
        config = _config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def is_current(engine: Engine) -> bool:
    """True when the database is at the newest revision."""
    heads = set(ScriptDirectory.from_config(_config()).get_heads())
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current == heads
