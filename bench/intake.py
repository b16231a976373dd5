"""How many calls a second a Frontline server accepts through the CTI API.

Run ``python bench/intake.py`` from the repository root (``--json`` for machines,
``--calls N`` and ``--clients C`` to change the load, ``--backend sqlite|postgresql``
for one backend). For each backend it starts a real ``frontline serve`` process on a new
database with one voice queue and ten ready agents, then C client threads post signed
``offered`` events over keep-alive-less HTTP, each waiting for its answer (the agent to
ring, or "queue"). A call counts once the server acknowledged it: committed, routed,
answered. The figure is acknowledged calls per second of wall time, with the p50 and
p99 latency of one request.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import throwaway_database
from tests.servers import as_agent, cti_event, offered, running_server, set_up_center

AGENTS = 10


@dataclass(frozen=True)
class Result:
    backend: str
    calls: int
    clients: int
    seconds: float
    calls_per_second: float
    p50_ms: float
    p99_ms: float
    refused: int


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(backend: str, calls: int, clients: int) -> Result:
    with (
        tempfile.TemporaryDirectory() as directory,
        throwaway_database(backend, Path(directory)) as url,
    ):
        center = set_up_center(url, agents=AGENTS)
        with running_server(url) as server:
            for token in center.agent_tokens:
                server.request(
                    "POST", "/api/v1/workspace/state", {"state": "ready"}, as_agent(token)
                )
            latencies: list[float] = []
            refused = [0]
            lock = threading.Lock()
            per_client = calls // clients

            def client(index: int) -> None:
                mine: list[float] = []
                for n in range(per_client):
                    started = time.perf_counter()
                    status, _ = cti_event(server, offered(f"{index}-{n}"))
                    mine.append((time.perf_counter() - started) * 1000)
                    if status != 200:
                        with lock:
                            refused[0] += 1
                with lock:
                    latencies.extend(mine)

            threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
    done = per_client * clients
    return Result(
        backend=backend,
        calls=done,
        clients=clients,
        seconds=round(elapsed, 2),
        calls_per_second=round(done / elapsed, 1),
        p50_ms=round(percentile(latencies, 0.50), 1),
        p99_ms=round(percentile(latencies, 0.99), 1),
        refused=refused[0],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), action="append")
    arguments = parser.parse_args()
    os.environ.setdefault(
        "FRONTLINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    results = [
        run(backend, arguments.calls, arguments.clients)
        for backend in arguments.backend or ("sqlite", "postgresql")
    ]
    if arguments.json:
        print(json.dumps([asdict(result) for result in results]))
        return 0
    for r in results:
        print(
            f"intake {r.backend}: {r.calls_per_second:,.0f} calls/s, "
            f"p50 {r.p50_ms} ms, p99 {r.p99_ms} ms"
        )
        print(f"  {r.calls} calls from {r.clients} clients in {r.seconds} s, {r.refused} refused")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
