"""Writers of one process take turns on a SQLite file through its in-process write lock."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from frontline.core import db


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    # A lock never released would make the next writer wait this long, then fail.
    monkeypatch.setattr(db, "BUSY_TIMEOUT_SECONDS", 0.5)
    engine = db.create_db_engine(f"sqlite:///{tmp_path / 'writers.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE calls (writer INTEGER, n INTEGER)"))
    return engine


def count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM calls")).scalar_one())


def test_concurrent_writers_all_commit(engine: Engine) -> None:
    errors: list[BaseException] = []

    def writer(index: int) -> None:
        try:
            for n in range(25):
                with engine.begin() as connection:
                    connection.execute(
                        text("INSERT INTO calls VALUES (:w, :n)"), {"w": index, "n": n}
                    )
                    connection.execute(text("SELECT count(*) FROM calls")).scalar_one()
                    connection.execute(
                        text("UPDATE calls SET n = n WHERE writer = :w"), {"w": index}
                    )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count(engine) == 8 * 25


def test_rollback_and_close_release_the_lock(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("INSERT INTO calls VALUES (1, 1)"))
        connection.rollback()
    raw = engine.raw_connection()
    cursor = raw.cursor()
    cursor.execute("SELECT 1")
    raw.close()  # back to the pool, which rolls back
    with engine.connect() as connection:
        connection.execute(text("INSERT INTO calls VALUES (2, 2)"))
        connection.close()  # never committed
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO calls VALUES (3, 3)"))
    assert count(engine) == 1


def test_a_writer_waiting_too_long_gets_sqlites_own_error(engine: Engine) -> None:
    holder = engine.connect()
    holder.execute(text("INSERT INTO calls VALUES (1, 1)"))
    failed: list[str] = []

    def second() -> None:
        try:
            with engine.begin() as connection:
                connection.execute(text("INSERT INTO calls VALUES (2, 2)"))
        except Exception as exc:
            failed.append(str(exc))

    thread = threading.Thread(target=second)
    thread.start()
    thread.join()
    holder.commit()
    holder.close()
    assert len(failed) == 1 and "database is locked" in failed[0]
    assert count(engine) == 1
