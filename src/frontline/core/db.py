"""Engine, sessions and the declarative base shared by every domain's models."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from frontline.core.clock import as_utc

# Named constraints so Alembic batch mode on SQLite can find and alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else as_utc(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime}  # noqa: RUF012 - SQLAlchemy reads it as a class attribute


BUSY_TIMEOUT_SECONDS = 5.0

# One write lock per SQLite file for all the connections of this process.
_write_locks: dict[str, threading.Lock] = {}
_write_locks_guard = threading.Lock()


def _write_lock(path: str) -> threading.Lock:
    with _write_locks_guard:
        return _write_locks.setdefault(path, threading.Lock())


class _SerialWriter(sqlite3.Connection):
    """A SQLite connection that takes its file's in-process write lock before it writes.

    SQLite lets one writer in at a time and makes the others retry in its busy handler,
    which sleeps for up to 100 ms between tries: under many concurrent writers most of
    the time goes to sleeping. Writers of one process queue on a Python lock instead and
    go in the moment the previous one commits; other processes still meet SQLite's own
    lock and busy timeout.
    """

    write_lock: threading.Lock
    holds_write_lock = False

    def claim_write_lock(self) -> None:
        if self.holds_write_lock:
            return
        if not self.write_lock.acquire(timeout=BUSY_TIMEOUT_SECONDS):
            # The error SQLite itself gives once its busy timeout runs out.
            raise sqlite3.OperationalError("database is locked")
        self.holds_write_lock = True

    def _release_write_lock(self) -> None:
        if self.holds_write_lock:
            self.holds_write_lock = False
            self.write_lock.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._release_write_lock()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._release_write_lock()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release_write_lock()


READ_ONLY_STATEMENTS = frozenset({"SELECT", "PRAGMA"})


def _claim_before_writing(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    dbapi_connection = connection.connection.dbapi_connection
    if (
        isinstance(dbapi_connection, _SerialWriter)
        and statement.lstrip()[:6].upper() not in READ_ONLY_STATEMENTS
    ):
        dbapi_connection.claim_write_lock()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
    cursor.close()
    # SQLite's lower() folds ASCII only; ILIKE compiles to lower() LIKE lower(), and
    # searches in Russian and Vietnamese need Unicode case folding.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def create_db_engine(database_url: str) -> Engine:
    """An engine for ``database_url``; SQLite gets WAL mode and foreign keys on."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        connect_args: dict[str, Any] = {"check_same_thread": False}
        if url.database and url.database != ":memory:":
            path = Path(url.database)
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = _write_lock(str(path.resolve()))
            connect_args["factory"] = type("SerialWriter", (_SerialWriter,), {"write_lock": lock})
        engine = create_engine(url, connect_args=connect_args)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "before_cursor_execute", _claim_before_writing)
        return engine
    return create_engine(url, pool_pre_ping=True)


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session
