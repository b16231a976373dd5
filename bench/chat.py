"""Delivery latency of the web chat: 500 widget sockets talking to agents at once.

Run ``python bench/chat.py`` from the repository root (``--chats N``, ``--messages M``,
``--pace S``, ``--backend sqlite|postgresql``, ``--json``). For each backend it starts a real
``frontline serve`` process on a new database with one chat queue and enough agents for
every chat at the chat capacity of three. N widget sockets start their chats
(``/ws/chat``), the agents accept them through the API, and each agent opens the chat's
agent socket (``/ws/chat/agent/{id}``) and waits for its first status frame. Then every
customer sends M messages, one every S seconds on average (0.5 S to 1.5 S apart; S is 10
unless told: a person reads the answer and types the next line, which takes longer than
that); the agent answers each one at once, so N chats make 2 N / S messages a second
(100 a second for the default 500 chats; ``--pace 1`` is a tenfold overload test). A
message's delivery latency is the time from the sender's ``send`` to the other side's
receipt of the message frame — stored, acknowledged and delivered through the server;
both directions are counted.
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
from concurrent.futures import ThreadPoolExecutor
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
ACCEPTING_AT_ONCE = 8
# After its last message is sent, how long a conversation waits for the rest to arrive;
# what has not come by then is counted as lost.
GRACE_SECONDS = 60.0
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
    doubled: int
    failed_starts: int
    setup_s: float


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
    """Each agent accepts what is offered to them, until every chat is answered.

    Agents work side by side (``ACCEPTING_AT_ONCE`` HTTP clients), as they would: one
    client taking 500 offers in turn measures the client, not the server.
    """
    handler: dict[int, str] = {}
    deadline = time.monotonic() + 300

    def accept(token: str) -> dict[int, str]:
        mine: dict[int, str] = {}
        _, workspace = server.request("GET", "/api/v1/workspace", headers=as_agent(token))
        for contact in workspace["contacts"]:
            if contact["status"] == "offered":
                path = f"/api/v1/contacts/{contact['id']}/accept"
                status, body = server.request("POST", path, headers=as_agent(token))
                if status == 200 and body["applied"]:
                    mine[contact["id"]] = token
            elif contact["status"] == "active":
                mine[contact["id"]] = token
        return mine

    with ThreadPoolExecutor(ACCEPTING_AT_ONCE) as pool:
        while len(handler) < contacts:
            assert time.monotonic() < deadline, "the chats were not all answered"
            for mine in pool.map(accept, tokens):
                handler.update(mine)
    return handler


@dataclass
class Tally:
    """What the conversations saw: latencies, and messages lost or delivered twice."""

    latencies: list[float]
    lost: int = 0
    doubled: int = 0


async def converse(
    customer: ClientConnection,
    agent: ClientConnection,
    messages: int,
    pace: float,
    tally: Tally,
) -> None:
    """The customer writes, the agent answers each; counts what arrives, and how late."""
    # Each side sees its own messages come back too: only the other side's count.
    by_customer: dict[str, float] = {}
    by_agent: dict[str, float] = {}
    # What each side received from the other (not its own messages coming back).
    seen_by_agent: set[str] = set()
    seen_by_customer: set[str] = set()
    delivered = 0
    done = asyncio.Event()

    def arrived(frame: dict[str, Any], sent: dict[str, float], seen: set[str]) -> bool:
        nonlocal delivered
        if frame["type"] != "message" or (frame["id"] not in sent and frame["id"] not in seen):
            return False
        if frame["id"] in seen:
            tally.doubled += 1
            return False
        tally.latencies.append(time.perf_counter() - sent.pop(frame["id"]))
        seen.add(frame["id"])
        delivered += 1
        if delivered == 2 * messages:
            done.set()
        return True

    async def agent_side() -> None:
        while True:
            frame = json.loads(await agent.recv())
            if arrived(frame, by_customer, seen_by_agent):
                reply = f"a-{frame['id']}"
                by_agent[reply] = time.perf_counter()
                await agent.send(json.dumps({"type": "message", "id": reply, "text": "ok"}))

    async def reader() -> None:
        while True:
            arrived(json.loads(await customer.recv()), by_agent, seen_by_customer)

    async def sender() -> None:
        for n in range(messages):
            await asyncio.sleep(random.uniform(0.5 * pace, 1.5 * pace))
            cid = f"m-{id(customer)}-{n}"
            by_customer[cid] = time.perf_counter()
            await customer.send(json.dumps({"type": "message", "id": cid, "text": "question"}))

    tasks = [asyncio.create_task(work()) for work in (agent_side, reader, sender)]
    await tasks[2]
    # Done when every message arrived, or given up GRACE_SECONDS after the last was sent.
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(done.wait(), GRACE_SECONDS)
    for task in tasks:
        task.cancel()
    tally.lost += 2 * messages - delivered


async def exchange(
    server: Server, tokens: list[str], chats: int, messages: int, pace: float
) -> Result:
    base = f"ws://127.0.0.1:{server.port}"
    setting_up = time.perf_counter()
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
    # An agent's socket is open once it has sent the chat's status (after the sign-in and
    # the first read): the conversation starts after all of them, not during their opening.
    await asyncio.gather(*(frame_of(agent, "status") for agent in agents))
    setup = time.perf_counter() - setting_up
    tally = Tally([])
    began = time.perf_counter()
    await asyncio.gather(
        *(
            converse(customer, agent, messages, pace, tally)
            for (customer, _), agent in zip(started, agents, strict=True)
        )
    )
    seconds = time.perf_counter() - began
    for socket in [*agents, *(customer for customer, _ in started)]:
        await socket.close()
    ms = [1000 * value for value in tally.latencies]
    return Result(
        backend="",
        chats=chats,
        messages=len(ms),
        seconds=round(seconds, 1),
        p50_ms=round(percentile(ms, 0.50), 1),
        p95_ms=round(percentile(ms, 0.95), 1),
        p99_ms=round(percentile(ms, 0.99), 1),
        max_ms=round(max(ms), 1),
        lost=tally.lost,
        doubled=tally.doubled,
        setup_s=round(setup, 1),
        failed_starts=len(FAILED_STARTS),
    )


def run(backend: str, chats: int, messages: int, pace: float) -> Result:
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
            result = asyncio.run(exchange(server, center.agent_tokens, chats, messages, pace))
    return Result(**{**asdict(result), "backend": backend})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=500)
    parser.add_argument("--messages", type=int, default=5, help="per customer")
    parser.add_argument(
        "--pace", type=float, default=10.0, help="seconds between a customer's messages, on average"
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [
        run(backend, args.chats, args.messages, args.pace)
        for backend in args.backend or ["sqlite", "postgresql"]
    ]
    if args.json:
        print(json.dumps([asdict(result) for result in results], indent=2))
        return 0
    columns = (
        "chats",
        "set-up s",
        "messages",
        "s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "lost",
        "doubled",
        "retried",
    )
    print(f"{'backend':<11}" + "".join(f"{c:>9}" for c in columns))
    for r in results:
        values = (
            r.chats,
            r.setup_s,
            r.messages,
            r.seconds,
            r.p50_ms,
            r.p95_ms,
            r.p99_ms,
            r.max_ms,
            r.lost,
            r.doubled,
            r.failed_starts,
        )
        print(f"{r.backend:<11}" + "".join(f"{v:>9}" for v in values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
