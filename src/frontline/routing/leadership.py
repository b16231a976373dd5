"""Which node's router is the active one.

PostgreSQL: a session-level advisory lock held on one connection, the same connection
the router writes through, so a node that loses the lock (its connection dropped) can no
longer commit decisions either. When the node dies the server frees the lock and a
standby takes it on its next attempt. SQLite: an exclusive lock on a file beside the
database, so two processes on one file also keep a single router.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from frontline.core.db import create_session_factory

# Any fixed 64-bit number: the key every Frontline node competes for.
ADVISORY_LOCK_KEY = 0x46524F4E544C494E  # "FRONTLIN"
PING_SECONDS = 1.0


class Leadership(Protocol):
    def acquire(self) -> bool:
        """Try to become the active router; True while this node is it."""
        ...

    def release(self) -> None: ...

    def sessions(self) -> sessionmaker[Session]:
        """The sessions the active router must write through."""
        ...


class AdvisoryLock:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.connection: Connection | None = None
        self.checked = 0.0

    def acquire(self) -> bool:
        if self.connection is not None:
            if time.monotonic() - self.checked < PING_SECONDS:
                # Writes go through this connection, so a lost lock also fails the commit;
                # the ping only notices it sooner when there is nothing to write.
                return True
            try:  # still ours only while the connection that holds it is alive
                self.connection.execute(text("SELECT 1"))
                self.connection.commit()
                self.checked = time.monotonic()
                return True
            except Exception:
                self.release()
                return False
        connection = self.engine.connect()
        held = connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
        ).scalar_one()
        connection.commit()
        if held:
            self.connection, self.checked = connection, time.monotonic()
        else:
            connection.close()
        return bool(held)

    def release(self) -> None:
        if self.connection is not None:
            # Ending the database session frees the lock; a pooled connection would only
            # go back to the pool still holding it, so the connection is discarded.
            with contextlib.suppress(Exception):
                self.connection.invalidate()
                self.connection.close()
            self.connection = None

    def sessions(self) -> sessionmaker[Session]:
        assert self.connection is not None, "sessions() is only asked of the leader"
        return sessionmaker(bind=self.connection, expire_on_commit=False)


class FileLock:
    def __init__(self, engine: Engine, path: Path) -> None:
        self.factory = create_session_factory(engine)
        self.path = path
        self.handle: IO[str] | None = None

    def acquire(self) -> bool:
        if self.handle is not None:
            return True
        handle = self.path.open("a")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self.handle = handle
        return True

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()  # closing frees the lock
            self.handle = None

    def sessions(self) -> sessionmaker[Session]:
        return self.factory


def leadership_for(engine: Engine) -> Leadership:
    url = make_url(engine.url)
    if url.get_backend_name() == "postgresql":
        return AdvisoryLock(engine)
    database = url.database or ":memory:"
    if database == ":memory:":
        raise ValueError("the router needs a database file or server, not :memory:")
    return FileLock(engine, Path(f"{database}.router-lock"))
