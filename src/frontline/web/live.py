"""Live pages over Server-Sent Events: poll cheaply, tell the page what changed.

A live page renders each changing part with ``data-live="NAME"`` and
``data-version="V"``; its stream sends ``NAME V`` whenever a part's version differs
from the last one sent (all of them once on connecting), and ``static/live.js`` fetches
the part again with htmx only when the page holds another version. The stream carries no
data of its own, so what a part shows is checked and audited by its ordinary GET route.

Each stream ends after ``LIFETIME_SECONDS``; the browser's EventSource reconnects by
itself, which keeps idle proxies and server shutdowns from holding connections forever.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import anyio
from fastapi import Request
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session, sessionmaker

from frontline.auth.models import User
from frontline.web.page_routes import optional_user

LIFETIME_SECONDS = 300.0
KEEPALIVE_SECONDS = 15.0
# Tells the browser how long to wait before reconnecting after the stream ends.
RETRY_MILLISECONDS = 1000

Poll = Callable[[Session], Mapping[str, str]]


def version(*parts: Any) -> str:
    """A short digest of what a part shows: equal parts, equal versions."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def stream_user(request: Request) -> User | None:
    """The signed-in user, read with a session closed at once: a stream lasts minutes and
    must not hold a database connection between polls."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    with factory() as session:
        user = optional_user(request, session)
        if user is not None:
            session.expunge(user)
        return user


async def _changes(request: Request, poll: Poll, every_seconds: float) -> AsyncIterator[str]:
    factory: sessionmaker[Session] = request.app.state.session_factory

    def read() -> Mapping[str, str]:
        with factory() as session:
            return poll(session)

    sent: dict[str, str] = {}
    started = last_write = time.monotonic()
    yield f"retry: {RETRY_MILLISECONDS}\n\n"
    while time.monotonic() - started < LIFETIME_SECONDS:
        if await request.is_disconnected():
            return
        for name, value in (await anyio.to_thread.run_sync(read)).items():
            if sent.get(name) != value:
                sent[name] = value
                last_write = time.monotonic()
                yield f"data: {name} {value}\n\n"
        if time.monotonic() - last_write > KEEPALIVE_SECONDS:
            # A comment line: it tells a closed connection apart without waking the page.
            last_write = time.monotonic()
            yield ": keep-alive\n\n"
        await anyio.sleep(every_seconds)


def event_stream(request: Request, poll: Poll, every_seconds: float) -> StreamingResponse:
    return StreamingResponse(
        _changes(request, poll, every_seconds),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
