"""Delivery latency of the web chat: 500 widget sockets talking to agents at once.

Run ``python bench/chat.py`` from the repository root (``--chats N``, ``--messages M``,
``--backend sqlite|postgresql``, ``--json``). For each backend it starts a real
``frontline serve`` process on a new database with one chat queue and enough agents for
every chat at the chat capacity of three. N widget sockets start their chats
(``/ws/chat``), the agents accept them through the API, and each agent opens the chat's
agent socket (``/ws/chat/agent/{id}``). Then every customer sends M messages, about one
a second each; the agent answers each one. A message's delivery latency is the time
from the sender's ``send`` to the other side's receipt of the message frame — stored,
acknowledged and delivered through the server; both directions are counted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import random
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import throwaway_database
from tests.servers import QUEUE_CODE, Server, as_agent, running_server, set_up_center

from frontline.org.models import Channel

CHAT_CAPACITY = 3
STARTING_AT_ONCE = 20
FAILED_STARTS: list[int] = []


@dataclass(frozen=True)
class Result:
    backend: str
    chats: int
    messages: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    lost: int
    failed_starts: int


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def frame_of(socket: ClientConnection, kind: str) -> dict[str, Any]:
    while True:
        frame: dict[str, Any] = json.loads(await socket.recv())
        if frame["type"] == kind:
            return frame


async def start_chat(
    base: str, n: int, arrivals: asyncio.Semaphore
) -> tuple[ClientConnection, int]:
    async with arrivals:
        try:
            return await _start_chat(base, n)
        except ConnectionClosed:
            # Counted, then tried once more: the figure is delivery, not arrival.
            FAILED_STARTS.append(n)
            return await _start_chat(base, n)


async def _start_chat(base: str, n: int) -> tuple[ClientConnection, int]:
    socket = await connect(f"{base}/ws/chat", open_timeout=120, ping_interval=None)
    await frame_of(socket, "welcome")
    start = {"type": "start", "name": f"Customer {n}", "queue": QUEUE_CODE}
    await socket.send(json.dumps({**start, "question": "hello", "id": f"q-{n}"}))
    started = await frame_of(socket, "started")
    return socket, int(started["reference"].removeprefix("FL-"))


def accept_all(server: Server, tokens: list[str], contacts: int) -> dict[int, str]:
    """Each agent accepts what is offered to them, until every chat is answered."""
    handler: dict[int, str] = {}
    deadline = time.monotonic() + 300
    while len(handler) < contacts:
        assert time.monotonic() < deadline, "the chats were not all answered"
        for token in tokens:
            _, workspace = server.request("GET", "/api/v1/workspace", headers=as_agent(token))
            for contact in workspace["contacts"]:
                if contact["status"] == "offered":
                    path = f"/api/v1/contacts/{contact['id']}/accept"
                    server.request("POST", path, headers=as_agent(token))
                if contact["status"] in {"offered", "active"}:
                    handler[contact["id"]] = token
    return handler


async def converse(
    customer: ClientConnection, agent: ClientConnection, messages: int, latencies: list[float]
) -> int:
    """The customer writes, the agent answers each; the number of messages not delivered."""
    # Each side sees its own messages come back too: only the other side's count.
    by_customer: dict[str, float] = {}
    by_agent: dict[str, float] = {}
    delivered = 0

    done = asyncio.Event()

    def arrived() -> None:
        nonlocal delivered
        delivered += 1
        if delivered == 2 * messages:
            done.set()

    async def agent_side() -> None:
        while True:
            frame = json.loads(await agent.recv())
            if frame["type"] == "message" and frame["id"] in by_customer:
                latencies.append(time.perf_counter() - by_customer.pop(frame["id"]))
                arrived()
                reply = f"a-{frame['id']}"
                by_agent[reply] = time.perf_counter()
                await agent.send(json.dumps({"type": "message", "id": reply, "text": "ok"}))

    async def reader() -> None:
        while True:
            frame = json.loads(await customer.recv())
            if frame["type"] == "message" and frame["id"] in by_agent:
                latencies.append(time.perf_counter() - by_agent.pop(frame["id"]))
                arrived()

    async def sender() -> None:
        for n in range(messages):
            await asyncio.sleep(random.uniform(0.5, 1.5))
            cid = f"m-{id(customer)}-{n}"
            by_customer[cid] = time.perf_counter()
            await customer.send(json.dumps({"type": "message", "id": cid, "text": "question"}))

    tasks = [asyncio.create_task(work()) for work in (agent_side, reader, sender)]
    # Done when every message arrived (a reader then waits for nothing), or given up.
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(done.wait(), 120)
    for task in tasks:
        task.cancel()
    return 2 * messages - delivered


async def exchange(server: Server, tokens: list[str], chats: int, messages: int) -> Result:
    base = f"ws://127.0.0.1:{server.port}"
    # Customers arrive over a few seconds, not all in one millisecond.
    arrivals = asyncio.Semaphore(STARTING_AT_ONCE)
    started = await asyncio.gather(*(start_chat(base, n, arrivals) for n in range(chats)))
    handler = await asyncio.to_thread(accept_all, server, tokens, chats)
    agents = await asyncio.gather(
        *(
            connect(
                f"{base}/ws/chat/agent/{contact}?after=1",
                additional_headers=as_agent(handler[contact]),
                open_timeout=120,
                ping_interval=None,
            )
            for _, contact in started
        )
    )
    latencies: list[float] = []
    began = time.perf_counter()
    lost = await asyncio.gather(
        *(
            converse(customer, agent, messages, latencies)
            for (customer, _), agent in zip(started, agents, strict=True)
        )
    )
    seconds = time.perf_counter() - began
    for socket in [*agents, *(customer for customer, _ in started)]:
        await socket.close()
    ms = [1000 * value for value in latencies]
    return Result(
        backend="",
        chats=chats,
        messages=len(ms),
        seconds=round(seconds, 1),
        p50_ms=round(percentile(ms, 0.50), 1),
        p95_ms=round(percentile(ms, 0.95), 1),
        p99_ms=round(percentile(ms, 0.99), 1),
        max_ms=round(max(ms), 1),
        lost=sum(lost),
        failed_starts=len(FAILED_STARTS),
    )


def run(backend: str, chats: int, messages: int) -> Result:
    with (
        tempfile.TemporaryDirectory() as directory,
        throwaway_database(backend, Path(directory)) as url,
    ):
        center = set_up_center(url, agents=math.ceil(chats / CHAT_CAPACITY), channel=Channel.CHAT)
        with running_server(url) as server:
            for token in center.agent_tokens:
                server.request(
                    "POST", "/api/v1/workspace/state", {"state": "ready"}, as_agent(token)
                )
            result = asyncio.run(exchange(server, center.agent_tokens, chats, messages))
    return Result(**{**asdict(result), "backend": backend})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=500)
    parser.add_argument("--messages", type=int, default=5, help="per customer")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [
        run(backend, args.chats, args.messages)
        for backend in args.backend or ["sqlite", "postgresql"]
    ]
    if args.json:
        print(json.dumps([asdict(result) for result in results], indent=2))
        return 0
    columns = ("chats", "messages", "s", "p50 ms", "p95 ms", "p99 ms", "max ms", "lost", "retried")
    print(f"{'backend':<11}" + "".join(f"{c:>9}" for c in columns))
    for r in results:
        values = (
            r.chats,
            r.messages,
            r.seconds,
            r.p50_ms,
            r.p95_ms,
            r.p99_ms,
            r.max_ms,
            r.lost,
            r.failed_starts,
        )
        print(f"{r.backend:<11}" + "".join(f"{v:>9}" for v in values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
