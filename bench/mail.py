"""How many e-mails a second ``frontline mail serve`` takes in, each committed before 250.

Run ``python bench/mail.py`` from the repository root (``--json`` for machines,
``--messages N`` and ``--clients C`` to change the load, ``--backend sqlite|postgresql``
for one backend). For each backend it starts a real ``frontline mail serve`` process on a
new database with one e-mail queue, then C client threads each open SMTP connections and
send distinct messages (distinct senders, so the loop limit stays out of it). A message
counts once the listener said 250: parsed, stored, made a contact, routed and its
acknowledgement queued, all committed. The figure is messages per second of wall time,
with the p50 and p99 of one SMTP exchange.
"""

from __future__ import annotations

import argparse
import json
import smtplib
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.channels.conftest import running_mail_server, sample, set_up_mail_queue
from tests.conftest import throwaway_database


@dataclass(frozen=True)
class Result:
    backend: str
    messages: int
    clients: int
    seconds: float
    messages_per_second: float
    p50_ms: float
    p99_ms: float


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _message(n: int) -> bytes:
    return (
        sample("alternative.eml")
        .replace(b"<alt-1@example.com>", f"<bench-{n}@example.com>".encode())
        .replace(b"anna@example.com", f"customer{n}@example.com".encode())
    )


def run(backend: str, messages: int, clients: int) -> Result:
    with (
        tempfile.TemporaryDirectory() as directory,
        throwaway_database(backend, Path(directory)) as url,
    ):
        set_up_mail_queue(url)
        with running_mail_server(url) as port:
            latencies: list[float] = []
            lock = threading.Lock()

            def client(first: int) -> None:
                with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
                    for n in range(first, messages, clients):
                        started = time.perf_counter()
                        smtp.sendmail(f"customer{n}@example.com", ["email-tax@x.test"], _message(n))
                        with lock:
                            latencies.append(time.perf_counter() - started)

            threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seconds = time.perf_counter() - started
    return Result(
        backend,
        len(latencies),
        clients,
        round(seconds, 2),
        round(len(latencies) / seconds, 1),
        round(percentile(latencies, 0.5) * 1000, 1),
        round(percentile(latencies, 0.99) * 1000, 1),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), action="append")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    results = [
        run(backend, options.messages, options.clients)
        for backend in options.backend or ("sqlite", "postgresql")
    ]
    if options.json:
        print(json.dumps([asdict(result) for result in results], indent=2))
        return
    for r in results:
        print(
            f"mail intake ({r.backend}): {r.messages_per_second:,.1f} messages/s, "
            f"p50 {r.p50_ms} ms, p99 {r.p99_ms} ms ({r.messages} messages, {r.clients} clients)"
        )


if __name__ == "__main__":
    main()
