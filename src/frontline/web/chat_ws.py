"""The web chat's WebSockets: ``/ws/chat`` for the widget, ``/ws/chat/agent/{id}`` for agents.

Frames are JSON objects (the protocol is in ``INTERFACES.md``). Each connection has a
reader, which stores what arrives through ``channels.chat`` (committed before the
``ack``), and a writer, which sends the chat's messages in ``seq`` order. A message
stored here is handed, as the frame built in the storing thread, to the writers of its
chat in this process (the hub): no reading it back per socket. A writer reads the
database only for what it cannot have been handed: the messages before it opened
(``resume``, ``after``), a gap in the numbers (two messages stored at once and handed
over out of order) and messages stored by another node, which the process's one poll
(every ``POLL_SECONDS``, for all its chats) finds, as it finds the router's changes (an
agent took the chat, it ended).
Typing indicators are not stored and reach only the connections of this process.

The assistant (``app.state.chat_assistant``) is kept off that path: a customer message is
acknowledged and delivered first, and only a chat that waits in line with no agent
offered it is handed to the socket's assistant task, which answers its messages one at
a time in a worker thread of its own (``ASSISTING_AT_ONCE`` per process).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import anyio
import structlog
from fastapi import APIRouter, Response, WebSocket, WebSocketDisconnect
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from frontline.auth.models import User
from frontline.auth.service import token_by_secret
from frontline.channels import chat
from frontline.channels.models import ChatMessage, ChatSession
from frontline.contacts import actions
from frontline.contacts.models import ContactStatus
from frontline.core.errors import FrontlineError, NotAuthenticated, NotFound
from frontline.core.fields import Id
from frontline.core.settings import Settings
from frontline.people.models import Agent
from frontline.routing.service import CommandKind
from frontline.web.dependencies import SESSION_USER, DbSession
from frontline.web.page_routes import PageUser

log = structlog.get_logger()
router = APIRouter(include_in_schema=False)

POLL_SECONDS = 2.0
ROUTER_ANSWER_SECONDS = 2.0
WAITING_THREADS = 100
# Text messages are stored in batches (``GroupCommit``), at most BATCH_LIMIT a batch and
# STORING_THREADS threads waiting for theirs, in LANES lanes of batches. One lane: SQLite
# writes one transaction at a time anyway, and on PostgreSQL four lanes (smaller batches
# side by side) measured no better than one (500 chats: p99 421-435 ms, one: 254-381 ms).
LANES = 1
BATCH_LIMIT = 64
STORING_THREADS = 64
# The assistant's answers are never urgent: at most this many worked on at once per
# process, so that their searches do not take threads and CPU from storing messages.
ASSISTING_AT_ONCE = 1
# Close codes: the chat or the contact is not there, the caller may not open it.
CLOSE_NOT_FOUND = 4404
CLOSE_FORBIDDEN = 4403
T = TypeVar("T")


@dataclass(eq=False)
class Connection:
    websocket: WebSocket
    chat_id: int
    side: str  # chat.CUSTOMER or chat.AGENT
    last_sent: int
    agent: Agent | None = None  # who writes on an agent's socket, loaded once
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    status: chat.Status | None = None
    # The writer reads the database on its next round: for the status, for messages.
    status_due: bool = True
    read_due: bool = True
    # A status the shared poll found, for the writer to send.
    fresh_status: chat.Status | None = None
    # Message frames handed over by the hub, not yet sent (a deque: appended from any thread).
    delivered: deque[dict[str, Any]] = field(default_factory=deque)
    # The highest number handed over: the poll need not make the writer read up to it.
    handed: int = 0
    # Ids of the customer's messages for the assistant to answer, in order.
    questions: asyncio.Queue[int] = field(default_factory=asyncio.Queue)
    # The loop serving the socket: a thread that wants to close it must go through it.
    loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.get_running_loop)

    async def send(self, frame: dict[str, Any]) -> None:
        async with self.lock:
            await self.websocket.send_json(frame)

    def nudge(self) -> None:
        """Wake the writer, from its own loop or any other (the test client has several)."""
        try:
            here = asyncio.get_running_loop()
        except RuntimeError:
            here = None
        if here is self.loop:
            self.wake.set()
        else:
            with contextlib.suppress(RuntimeError):  # its loop has closed: nobody to wake
                self.loop.call_soon_threadsafe(self.wake.set)


class Hub:
    """The chat connections of this process, by chat, and the one poll that serves them."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.connections: defaultdict[int, set[Connection]] = defaultdict(set)
        self.factory = factory
        self.poller: asyncio.Task[None] | None = None
        # Each chat's contact state at the last poll: the status is recomputed on a change.
        self.states: dict[int, tuple[ContactStatus, int | None]] = {}

    def ensure_polling(self) -> None:
        """Start the poll in this loop unless one runs (it stops when no socket is left)."""
        poller = self.poller
        if poller is None or poller.done() or poller.get_loop().is_closed():
            self.poller = asyncio.get_running_loop().create_task(self._poll())

    async def _poll(self) -> None:
        """Every ``POLL_SECONDS``, one look at all the chats with a socket here: what
        another node stored, and the router's changes, for every socket at once."""
        while self.connections:
            await anyio.sleep(POLL_SECONDS)
            try:
                await self._look()
            except Exception:  # the next round tries again; the sockets stay up
                log.exception("chat.poll_failed")

    async def _look(self) -> None:
        chat_ids = list(self.connections)
        if not chat_ids:
            return
        known = dict(self.states)

        def look() -> dict[int, chat.Lookout]:
            with self.factory() as session:
                return chat.look_at(session, chat_ids, known)

        seen = await anyio.to_thread.run_sync(look)
        self.states = {chat_id: lookout.state for chat_id, lookout in seen.items()}
        for chat_id, lookout in seen.items():
            for connection in list(self.connections.get(chat_id, ())):
                # Not behind for a message handed over and not sent yet: under load a
                # writer is late, and reading again what it holds would only add to that.
                behind = max(connection.last_sent, connection.handed) < lookout.last_seq
                changed = lookout.status is not None and lookout.status != connection.status
                if behind or changed:
                    connection.read_due = connection.read_due or behind
                    connection.fresh_status = lookout.status if changed else None
                    connection.nudge()

    def wake(self, chat_id: int, *, status: bool = False) -> None:
        for connection in list(self.connections.get(chat_id, ())):
            connection.status_due = connection.status_due or status
            connection.nudge()

    def deliver(self, chat_id: int, frames: list[dict[str, dict[str, Any]]]) -> None:
        """Hand stored messages (a frame per side) to the writers of the chat here."""
        if not frames:
            return
        last = max(int(frame[chat.AGENT]["seq"]) for frame in frames)
        for connection in list(self.connections.get(chat_id, ())):
            connection.delivered.extend(frame[connection.side] for frame in frames)
            connection.handed = max(connection.handed, last)
            connection.nudge()

    async def relay(self, sender: Connection, frame: dict[str, Any]) -> None:
        for connection in list(self.connections.get(sender.chat_id, ())):
            if connection is not sender:
                try:
                    await connection.send(frame)
                except (RuntimeError, WebSocketDisconnect):
                    continue  # it is closing; its own reader cleans up


def _hub(websocket: WebSocket) -> Hub:
    state = websocket.app.state
    if not hasattr(state, "chat_hub"):
        state.chat_hub = Hub(state.session_factory)
    hub: Hub = state.chat_hub
    return hub


async def _db(
    websocket: WebSocket,
    work: Callable[[Session], T],
    limiter: anyio.CapacityLimiter | None = None,
) -> T:
    factory: sessionmaker[Session] = websocket.app.state.session_factory

    def run() -> T:
        with factory() as session:
            return work(session)

    return await anyio.to_thread.run_sync(run, limiter=limiter)


def _assistant(websocket: WebSocket) -> chat.Assistant | None:
    assistant: chat.Assistant = getattr(websocket.app.state, "chat_assistant", chat.no_assistant)
    return None if assistant is chat.no_assistant else assistant


def _assist_limiter(websocket: WebSocket) -> anyio.CapacityLimiter:
    state = websocket.app.state
    if not hasattr(state, "chat_assist_limiter"):
        state.chat_assist_limiter = anyio.CapacityLimiter(ASSISTING_AT_ONCE)
    limiter: anyio.CapacityLimiter = state.chat_assist_limiter
    return limiter


# What storing a message gives its sender's socket: its number, its frames (none when it
# was stored before) and, for the assistant, its id.
Stored = tuple[int, list[dict[str, dict[str, Any]]], int | None]


@dataclass(eq=False)
class _Waiting:
    draft: chat.Draft
    agent: Agent | None
    asks: bool  # a customer's message, and an assistant is there
    outcome: Stored | Exception | None = None


@dataclass(eq=False)
class _Lane:
    leader: threading.Lock = field(default_factory=threading.Lock)
    guard: threading.Lock = field(default_factory=threading.Lock)
    queue: list[_Waiting] = field(default_factory=list)


class GroupCommit:
    """Text messages stored in batches: one transaction and one commit for all the messages
    that came while the previous batch was being stored.

    Each storing thread queues its message in its chat's lane and takes the lane's lock:
    whoever holds it stores everything queued (up to ``BATCH_LIMIT``) and the others,
    once they have the lock, find their message stored and return. So a thread returns
    only after its own message is committed: the ``ack`` still follows the commit. A
    chat is always in the same lane, so its messages are numbered in the order they came.
    """

    def __init__(self, factory: sessionmaker[Session], lanes: int) -> None:
        self.factory = factory
        self.lanes = [_Lane() for _ in range(lanes)]

    def store(self, draft: chat.Draft, agent: Agent | None, asks: bool) -> Stored:
        lane = self.lanes[draft.chat_id % len(self.lanes)]
        waiting = _Waiting(draft, agent, asks)
        with lane.guard:
            lane.queue.append(waiting)
        while waiting.outcome is None:
            with lane.leader:
                if waiting.outcome is None:
                    with lane.guard:
                        batch = lane.queue[:BATCH_LIMIT]
                        del lane.queue[:BATCH_LIMIT]
                    self._store(batch)
        if isinstance(waiting.outcome, Exception):
            raise waiting.outcome
        return waiting.outcome

    def _store(self, batch: list[_Waiting]) -> None:
        try:
            with self.factory() as session:
                for agent in {w.agent for w in batch if w.agent is not None}:
                    # Known to the session without a query: the frames name the agent.
                    chat.hold(session, session.merge(agent, load=False))
                messages = chat.post_together(session, [w.draft for w in batch])
                if messages is None:
                    for waiting in batch:
                        waiting.outcome = _alone(session, waiting)
                    return
                for waiting, message in zip(batch, messages, strict=True):
                    waiting.outcome = _outcome(session, message, True, asks=waiting.asks)
        except Exception as exc:  # each sender hears of it, as when storing alone
            for waiting in batch:
                if waiting.outcome is None:
                    waiting.outcome = exc


def _alone(session: Session, waiting: _Waiting) -> Stored | Exception:
    """A message of a batch that could not be stored together, stored by itself."""
    draft = waiting.draft
    try:
        conversation = chat.with_contact(session, draft.chat_id)
        message, new = chat.post(
            session,
            conversation,
            client_id=draft.client_id,
            author=draft.author,
            agent_id=draft.agent_id,
            text=draft.text,
        )
        return _outcome(session, message, new, asks=waiting.asks)
    except FrontlineError as exc:
        session.rollback()
        return exc


def _outcome(session: Session, message: ChatMessage, new: bool, *, asks: bool) -> Stored:
    if not new:
        return message.seq, [], None  # delivered (and answered) when first stored
    ask = asks and _unanswered(session, message.chat)
    return message.seq, [_frames(session, message)], message.id if ask else None


def _group_commit(websocket: WebSocket) -> tuple[GroupCommit, anyio.CapacityLimiter]:
    state = websocket.app.state
    if not hasattr(state, "chat_group_commit"):
        state.chat_group_commit = GroupCommit(state.session_factory, LANES)
        state.chat_storing_threads = anyio.CapacityLimiter(STORING_THREADS)
    return state.chat_group_commit, state.chat_storing_threads


def _error(exc: FrontlineError | ValidationError, client_id: object = None) -> dict[str, Any]:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = first["loc"][0] if first["loc"] else None
        frame = {"code": "invalid", "field": where, "message": str(first["msg"])}
    else:
        frame = {"code": exc.code, "field": exc.field, "message": exc.message}
    return {"type": "error", **frame, **({"id": client_id} if isinstance(client_id, str) else {})}


def message_frame(session: Session, message: ChatMessage, *, for_agent: bool) -> dict[str, Any]:
    name = message.chat.name if message.author == chat.CUSTOMER else ""
    if message.agent_id is not None:
        agent = session.get(Agent, message.agent_id)
        name = agent.full_name if agent else ""
    frame: dict[str, Any] = {
        "type": "message",
        "seq": message.seq,
        "id": message.client_id,
        "author": message.author,
        "name": name,
        "text": message.text,
        "at": message.sent_at.isoformat(),
    }
    if message.filename:
        frame["file"] = {
            "name": message.filename,
            "type": message.content_type,
            "size": message.size_bytes,
            **({"url": f"/chat/files/{message.id}"} if for_agent else {}),
        }
    return frame


def _status_frame(status: chat.Status) -> dict[str, Any]:
    return {
        "type": "status",
        "status": status.status,
        "position": status.position,
        "wait_seconds": None if status.wait_seconds is None else round(status.wait_seconds),
        "agent": status.agent,
    }


def _frames(session: Session, message: ChatMessage) -> dict[str, dict[str, Any]]:
    """A stored message's frame for each side: only the agent's has a file's address."""
    agent = message_frame(session, message, for_agent=True)
    customer = agent
    if "file" in agent:
        customer = {**agent, "file": {k: v for k, v in agent["file"].items() if k != "url"}}
    return {chat.AGENT: agent, chat.CUSTOMER: customer}


async def _write(connection: Connection) -> None:
    """Send what the other side has not seen: new messages and a changed status."""
    for_agent = connection.side == chat.AGENT

    def read(session: Session, with_status: bool) -> tuple[list[dict[str, Any]], Any]:
        fresh = chat.since(session, connection.chat_id, connection.last_sent)
        frames = [message_frame(session, m, for_agent=for_agent) for m in fresh]
        if not with_status:
            return frames, None
        conversation = session.get(ChatSession, connection.chat_id)
        assert conversation is not None
        return frames, chat.status_of(session, conversation)

    try:
        while True:
            connection.wake.clear()
            if not await _send_delivered(connection):
                connection.read_due = True
            if connection.read_due or connection.status_due:
                with_status = connection.status_due
                connection.read_due = connection.status_due = False
                await _write_once(connection, partial(read, with_status=with_status))
            status, connection.fresh_status = connection.fresh_status, None
            await _send_status(connection, status)
            with anyio.move_on_after(POLL_SECONDS) as waited:
                await connection.wake.wait()
            if waited.cancelled_caught:
                # The poll stops with the loop that ran it (the test client has several).
                _hub(connection.websocket).ensure_polling()
    except (WebSocketDisconnect, RuntimeError):
        return  # the socket closed under a send; the reader ends the connection


async def _send_delivered(connection: Connection) -> bool:
    """Send the frames the hub handed over, in order; ``False`` at a gap in the numbers."""
    frames = []
    while connection.delivered:
        frames.append(connection.delivered.popleft())
    for frame in sorted(frames, key=lambda f: int(f["seq"])):
        if frame["seq"] <= connection.last_sent:
            continue  # read from the database already
        if frame["seq"] != connection.last_sent + 1:
            return False  # one stored meanwhile is not here yet: the database has it
        await connection.send(frame)
        connection.last_sent = frame["seq"]
    return True


async def _write_once(
    connection: Connection,
    read: Callable[[Session], tuple[list[dict[str, Any]], chat.Status | None]],
) -> None:
    frames, status = await _db(connection.websocket, read)
    for frame in frames:
        if frame["seq"] > connection.last_sent:
            await connection.send(frame)
            connection.last_sent = frame["seq"]
    await _send_status(connection, status)


async def _send_status(connection: Connection, status: chat.Status | None) -> None:
    if status is not None and status != connection.status:
        connection.status = status
        await connection.send(_status_frame(status))


async def _receive(websocket: WebSocket) -> dict[str, Any] | None:
    """The next frame as an object; ``None`` (after telling the client) if it is not one."""
    text = await websocket.receive_text()
    try:
        frame = json.loads(text)
    except ValueError:
        frame = None
    if not isinstance(frame, dict):
        await websocket.send_json(
            {"type": "error", "code": "invalid", "field": None, "message": "Not a JSON object"}
        )
        return None
    return frame


async def _serve(connection: Connection, handle: Callable[[dict[str, Any]], Any]) -> None:
    """Run the writer beside a reader that hands each frame to ``handle`` until disconnect."""
    hub = _hub(connection.websocket)
    hub.connections[connection.chat_id].add(connection)
    hub.ensure_polling()
    try:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_write, connection)
            assistant = _assistant(connection.websocket)
            if connection.side == chat.CUSTOMER and assistant is not None:
                tasks.start_soon(_assist, connection, assistant)
            try:
                while True:
                    frame = await _receive(connection.websocket)
                    if frame is not None:
                        await handle(frame)
            except WebSocketDisconnect:
                pass
            finally:
                tasks.cancel_scope.cancel()
    finally:
        hub.connections[connection.chat_id].discard(connection)
        if not hub.connections[connection.chat_id]:
            del hub.connections[connection.chat_id]
            # Forgotten with its last socket: a socket that opens later reads the state
            # afresh, and a chat's row id may be another chat's by then (SQLite reuses them).
            hub.states.pop(connection.chat_id, None)


def _client_address(websocket: WebSocket) -> str:
    return websocket.client.host if websocket.client else "unknown"


async def _store(
    connection: Connection, frame: dict[str, Any], author: str, agent_id: int | None
) -> None:
    """A message or file from ``frame``, stored once, acknowledged, and the chat woken."""
    websocket = connection.websocket
    settings: Settings = websocket.app.state.settings
    client_id = frame.get("id")
    asks = author == chat.CUSTOMER and _assistant(websocket) is not None

    def store_file(session: Session) -> Stored:
        conversation = chat.with_contact(session, connection.chat_id)
        upload = chat.upload_of(frame.get("name"), frame.get("data"), settings)
        message, new = chat.post(
            session,
            conversation,
            client_id=chat.client_id_of(client_id),
            author=author,
            agent_id=agent_id,
            upload=upload,
            settings=settings,
        )
        return _outcome(session, message, new, asks=asks)

    try:
        if frame["type"] == "file":
            stored = await _db(websocket, store_file)
        else:
            draft = chat.Draft(
                connection.chat_id,
                chat.client_id_of(client_id),
                author,
                chat.text_of(frame.get("text")),
                agent_id,
            )
            batches, threads = _group_commit(websocket)
            stored = await anyio.to_thread.run_sync(
                batches.store, draft, connection.agent, asks, limiter=threads
            )
        seq, frames, question = stored
    except (FrontlineError, ValidationError) as exc:
        await connection.send(_error(exc, client_id))
        return
    await connection.send({"type": "ack", "id": client_id, "seq": seq})
    _hub(websocket).deliver(connection.chat_id, frames)
    if question is not None:
        connection.questions.put_nowait(question)


def _unanswered(session: Session, conversation: ChatSession) -> bool:
    """Whether the chat waits in line with no agent offered it: only then may the assistant
    answer. An offered chat is an agent's in a moment; the assistant would talk over them."""
    return chat.chat_contact(session, conversation).status is ContactStatus.WAITING


async def _assist(connection: Connection, assistant: chat.Assistant) -> None:
    """The assistant's answers to the messages of this socket's customer, in order."""
    websocket = connection.websocket
    while True:
        message_id = await connection.questions.get()
        answer = partial(_answer, chat_id=connection.chat_id, message_id=message_id)
        try:
            frames = await _db(
                websocket, partial(answer, assistant=assistant), _assist_limiter(websocket)
            )
        except FrontlineError:
            continue  # the chat ended meanwhile: nobody to answer
        except Exception:  # the customer still waits for an agent; the socket stays up
            log.exception("chat.assistant_failed", chat_id=connection.chat_id)
            continue
        _hub(websocket).deliver(connection.chat_id, frames)


def _answer(
    session: Session, *, chat_id: int, message_id: int, assistant: chat.Assistant
) -> list[dict[str, dict[str, Any]]]:
    """The assistant's answer to a message, stored: if nobody took the chat meanwhile."""
    conversation = chat.with_contact(session, chat_id)
    message = session.get(ChatMessage, message_id)
    if message is None or not _unanswered(session, conversation):
        return []
    answer = assistant(session, conversation, message)
    if not answer:
        return []
    stored, new = chat.post(
        session,
        conversation,
        client_id=f"assistant:{message.seq}",
        author=chat.ASSISTANT,
        text=answer[: chat.MAX_TEXT],
    )
    return [_frames(session, stored)] if new else []


async def _common(connection: Connection, frame: dict[str, Any], author: str) -> bool:
    """Frames both sides send; ``False`` if ``frame`` is none of them."""
    if frame.get("type") == "typing":
        typing = {"type": "typing", "author": author, "on": bool(frame.get("on"))}
        await _hub(connection.websocket).relay(connection, typing)
        return True
    return False


@router.websocket("/ws/chat")
async def customer_socket(websocket: WebSocket) -> None:
    await websocket.accept()
    settings: Settings = websocket.app.state.settings
    products = await _db(
        websocket, lambda s: [{"id": p.id, "name": p.name} for p in chat.chat_products(s)]
    )
    await websocket.send_json(
        {
            "type": "welcome",
            "products": products,
            "max_text": chat.MAX_TEXT,
            "max_file_bytes": settings.chat_max_file_bytes,
        }
    )
    try:
        opened = await _open_chat(websocket)
    except WebSocketDisconnect:
        return
    if opened is None:
        return
    connection = opened

    async def handle(frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind in {"message", "file"}:
            await _store(connection, frame, chat.CUSTOMER, None)
        elif kind == "transcript":
            await _transcript(connection, frame)
        elif kind == "end":
            await _end_by_customer(connection)
        elif not await _common(connection, frame, chat.CUSTOMER):
            await connection.send(_unknown(kind))

    await _serve(connection, handle)


def _unknown(kind: object) -> dict[str, Any]:
    message = f"Unknown frame {kind!r}"
    return {"type": "error", "code": "invalid", "field": "type", "message": message}


async def _open_chat(websocket: WebSocket) -> Connection | None:
    """Wait for ``start`` or ``resume``; ``None`` when the chat cannot be opened."""
    while True:
        frame = await _receive(websocket)
        kind = None if frame is None else frame.get("type")
        if frame is not None and kind == "start":
            started = await _start(websocket, frame)
            if started is not None:
                return started
        elif frame is not None and kind == "resume":
            return await _resume(websocket, frame)
        elif frame is not None:
            await websocket.send_json(
                {
                    "type": "error",
                    "code": "invalid",
                    "field": "type",
                    "message": "Start or resume a chat first",
                }
            )


async def _start(websocket: WebSocket, frame: dict[str, Any]) -> Connection | None:
    address = _client_address(websocket)

    def begin(session: Session) -> tuple[int, str, int, int, int]:
        payload = chat.ChatStart.model_validate(frame)
        conversation, first, command = chat.start(session, payload, client_address=address)
        return conversation.id, conversation.token, conversation.contact_id, command, first.id

    try:
        chat_id, token, contact_id, command, question = await _db(websocket, begin)
    except (FrontlineError, ValidationError) as exc:
        await websocket.send_json(_error(exc, frame.get("id")))
        return None
    await _routed(websocket, command)
    await websocket.send_json({"type": "started", "chat": token, "reference": f"FL-{contact_id}"})
    await websocket.send_json({"type": "ack", "id": frame.get("id"), "seq": 1})
    connection = Connection(websocket, chat_id, chat.CUSTOMER, 0)
    if _assistant(websocket) is not None:
        # Asked after the router's decision: an agent who is free gets the question first.
        connection.questions.put_nowait(question)
    return connection


async def _routed(websocket: WebSocket, command_id: int | None) -> None:
    """Wake the router and wait briefly for its decision, so the status sent next is true."""
    if command_id is None:
        return
    router = websocket.app.state.router
    router.wake()
    state = websocket.app.state
    if not hasattr(state, "chat_router_waits"):
        state.chat_router_waits = anyio.CapacityLimiter(WAITING_THREADS)
    # Threads of their own: a wait blocks its thread, and must not hold up the database
    # work of every other chat when many start at once.
    await anyio.to_thread.run_sync(
        router.wait, command_id, ROUTER_ANSWER_SECONDS, limiter=state.chat_router_waits
    )


async def _resume(websocket: WebSocket, frame: dict[str, Any]) -> Connection | None:
    """An earlier chat again: what the client missed after ``last_seq`` follows."""
    try:
        chat_id = await _db(websocket, lambda s: chat.by_token(s, frame.get("chat")).id)
    except NotFound as exc:
        await websocket.send_json(_error(exc))
        await websocket.close(CLOSE_NOT_FOUND)
        return None
    last = frame.get("last_seq")
    last_seq = last if isinstance(last, int) and last >= 0 else 0
    await websocket.send_json({"type": "resumed", "chat": frame.get("chat")})
    return Connection(websocket, chat_id, chat.CUSTOMER, last_seq)


async def _transcript(connection: Connection, frame: dict[str, Any]) -> None:
    settings: Settings = connection.websocket.app.state.settings

    def ask(session: Session) -> None:
        conversation = session.get(ChatSession, connection.chat_id)
        assert conversation is not None
        chat.request_transcript(session, conversation, frame.get("email"), settings)

    try:
        await _db(connection.websocket, ask)
    except (FrontlineError, ValidationError) as exc:
        error = _error(exc)
        error["field"] = "email"
        await connection.send(error)
        return
    await connection.send({"type": "transcript", "queued": True})


async def _end_by_customer(connection: Connection) -> None:
    def end(session: Session) -> int | None:
        conversation = session.get(ChatSession, connection.chat_id)
        assert conversation is not None
        return chat.end_by_customer(session, conversation)

    await _routed(connection.websocket, await _db(connection.websocket, end))
    _hub(connection.websocket).wake(connection.chat_id, status=True)


def _socket_user(websocket: WebSocket, session: Session) -> User:
    """A bearer token, or the session cookie of a page on this very site."""
    header = websocket.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        token = token_by_secret(session, header[7:].strip())
        if token is None or not token.user.active:
            raise NotAuthenticated("Invalid or revoked API token")
        return token.user
    origin = websocket.headers.get("origin")
    # A cookie goes with any site's request: only our own pages may use it (no CSRF
    # token travels with a WebSocket handshake).
    if origin is not None and urlsplit(origin).netloc != websocket.headers.get("host"):
        raise NotAuthenticated("This page may not open the chat")
    user_id = websocket.session.get(SESSION_USER)
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active:
        raise NotAuthenticated("Sign in first")
    return user


@router.websocket("/ws/chat/agent/{contact_id}")
async def agent_socket(websocket: WebSocket, contact_id: int) -> None:
    def allow(session: Session) -> tuple[int, User, int | None, Agent | None]:
        user = _socket_user(websocket, session)
        conversation, agent_id = chat.agent_chat(session, user, contact_id)
        agent = session.get(Agent, agent_id) if agent_id is not None else None
        session.expunge(user)
        if agent is not None:
            session.expunge(agent)
        return conversation.id, user, agent_id, agent

    await websocket.accept()
    try:
        chat_id, user, agent_id, agent = await _db(websocket, allow)
    except FrontlineError as exc:
        await websocket.send_json(_error(exc))
        await websocket.close(CLOSE_FORBIDDEN if exc.status_code in {401, 403} else CLOSE_NOT_FOUND)
        return
    last = websocket.query_params.get("after", "0")
    connection = Connection(websocket, chat_id, chat.AGENT, int(last) if last.isdigit() else 0)
    connection.agent = agent

    async def handle(frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind in {"message", "file"}:
            await _store(connection, frame, chat.AGENT, agent_id)
        elif kind == "end":
            await _end_by_agent(connection, user, contact_id)
        elif not await _common(connection, frame, chat.AGENT):
            await connection.send(_unknown(kind))

    await _serve(connection, handle)


async def _end_by_agent(connection: Connection, user: User, contact_id: int) -> None:
    try:
        command = await _db(
            connection.websocket,
            lambda s: actions.command(s, s.merge(user, load=False), contact_id, CommandKind.END),
        )
    except FrontlineError as exc:
        await connection.send(_error(exc))
        return
    await _routed(connection.websocket, command)
    _hub(connection.websocket).wake(connection.chat_id, status=True)


@router.get("/chat/files/{message_id}")
def chat_file(message_id: Id, user: PageUser, session: DbSession) -> Response:
    """A file a customer sent, for the agent who has the chat; never shown inline."""
    message = session.get(ChatMessage, message_id)
    if message is None or message.data is None:
        raise NotFound("No such file", field="message_id")
    chat.agent_chat(session, user, message.chat.contact_id)
    return Response(
        message.data,
        media_type=message.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(message.filename)}",
            "X-Content-Type-Options": "nosniff",
        },
    )
