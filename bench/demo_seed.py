"""How long the default demo takes to seed into a fresh SQLite database.

Run ``python bench/demo_seed.py`` (add ``--json`` for machines). The schema migration is
not timed; the seed is, including the one Argon2 hash of the demo password. Exits 1 when
the seed misses the target.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from frontline.core.db import create_db_engine, create_session_factory
from frontline.core.migrations import upgrade
from frontline.demo.seed import seed_demo

AGENTS = 250
CUSTOMERS = 50_000
TARGET_SECONDS = 30.0


@dataclass(frozen=True)
class SeedTiming:
    seconds: float
    agents: int
    customers: int
    target_seconds: float
    rows_created: int


def measure(agents: int = AGENTS, customers: int = CUSTOMERS) -> SeedTiming:
    with tempfile.TemporaryDirectory() as directory:
        engine = create_db_engine(f"sqlite:///{Path(directory) / 'demo.db'}")
        upgrade(engine)
        started = time.perf_counter()
        report = seed_demo(create_session_factory(engine), agents=agents, customers=customers)
        seconds = time.perf_counter() - started
        engine.dispose()
    return SeedTiming(
        seconds=round(seconds, 2),
        agents=agents,
        customers=customers,
        target_seconds=TARGET_SECONDS,
        rows_created=sum(report.created.values()),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    arguments = parser.parse_args()
    timing = measure()
    if arguments.json:
        print(json.dumps(asdict(timing)))
    else:
        print(
            f"demo seed: {timing.seconds:.1f} s for {timing.agents} agents, "
            f"{timing.customers:,} customers (target {timing.target_seconds:.0f} s)"
        )
    return 0 if timing.seconds <= timing.target_seconds else 1


if __name__ == "__main__":
    raise SystemExit(main())
