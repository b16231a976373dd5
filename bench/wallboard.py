"""How long the wallboard takes to compute on a busy day: every open board pays it each
time its stream polls (every 2 s).

Run ``python bench/wallboard.py`` from the repository root (``--json`` for machines,
``--contacts N``, ``--agents A``, ``--backend sqlite|postgresql``). For each backend it
fills a new database with one day: N contacts over 16 voice queues from 08:00 (answered
within 0-60 s, a tenth abandoned, handled in 2-8 minutes), and A agents with a state span
every few minutes; then it computes ``contacts.wallboard.wallboard`` at 18:00 five times.
The figure is the best and the median time of one computation.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import throwaway_database

from frontline.contacts.models import Contact, ContactStatus
from frontline.contacts.wallboard import wallboard
from frontline.core.db import create_db_engine, create_session_factory
from frontline.org.models import Channel, Product, Queue, Site, Skill
from frontline.people.models import Agent, AgentLevel, AgentSkill
from frontline.routing.models import AgentPresence, AgentStateSpan

QUEUES = 16
RUNS = 5
ZONE = ZoneInfo("Europe/Moscow")
START = datetime(2026, 3, 10, 8, tzinfo=ZONE).astimezone(UTC)
NOW = datetime(2026, 3, 10, 18, tzinfo=ZONE).astimezone(UTC)


@dataclass(frozen=True)
class Result:
    backend: str
    contacts: int
    agents: int
    queues: int
    best_ms: float
    median_ms: float


def _fill(url: str, contacts: int, agents: int, draw: random.Random) -> None:
    engine = create_db_engine(url)
    with create_session_factory(engine)() as session:
        site = Site(code="HQ", name="HQ", city="Kazan", country="RU", time_zone="Europe/Moscow")
        product = Product(code="P", name="Product")
        session.add_all([site, product])
        session.flush()
        skills = [
            Skill(product_id=product.id, language=f"l{n}", channel=Channel.VOICE)
            for n in range(QUEUES)
        ]
        session.add_all(skills)
        session.flush()
        queues = [
            Queue(code=f"Q{n}", name=f"Queue {n}", skill_id=s.id) for n, s in enumerate(skills)
        ]
        people = [
            Agent(
                employee_number=f"E{n}",
                full_name=f"Agent {n}",
                email=f"a{n}@example.com",
                site_id=site.id,
                level=AgentLevel.CONSULTANT,
                hire_date=START.date(),
            )
            for n in range(agents)
        ]
        session.add_all([*queues, *people])
        session.flush()
        session.add_all(
            AgentSkill(agent_id=a.id, skill_id=skills[n % QUEUES].id, proficiency=3)
            for n, a in enumerate(people)
        )
        day_seconds = (NOW - START).total_seconds()
        rows = []
        for _ in range(contacts):
            arrived = START + timedelta(seconds=draw.uniform(0, day_seconds - 900))
            row = {
                "channel": Channel.VOICE,
                "queue_id": queues[draw.randrange(QUEUES)].id,
                "arrived_at": arrived,
                "status": ContactStatus.DONE,
            }
            wait = timedelta(seconds=draw.uniform(0, 60))
            if draw.random() < 0.1:
                row |= {"status": ContactStatus.ABANDONED, "abandoned_at": arrived + wait}
            else:
                talk = timedelta(seconds=draw.uniform(120, 480))
                answered = arrived + wait
                row |= {
                    "answered_at": answered,
                    "ended_at": answered + talk,
                    "wrap_up_ended_at": answered + talk + timedelta(seconds=30),
                }
            rows.append(row)
        session.execute(insert(Contact), rows)
        spans = []
        for agent in people:
            at = START
            while at < NOW:
                length = timedelta(seconds=draw.uniform(60, 600))
                state = draw.choice(["ready", "busy", "wrap_up", "not_ready"])
                spans.append(
                    {
                        "agent_id": agent.id,
                        "state": state,
                        "started_at": at,
                        "ended_at": at + length,
                    }
                )
                at += length
            spans[-1]["ended_at"] = None
            session.add(AgentPresence(agent_id=agent.id, state=spans[-1]["state"], since=at))
        session.execute(insert(AgentStateSpan), spans)
        session.commit()
    engine.dispose()


def run(backend: str, contacts: int, agents: int) -> Result:
    with (
        tempfile.TemporaryDirectory() as directory,
        throwaway_database(backend, Path(directory)) as url,
    ):
        _fill(url, contacts, agents, random.Random(7))
        engine = create_db_engine(url)
        factory = create_session_factory(engine)
        times = []
        for _ in range(RUNS):
            with factory() as session:
                started = time.perf_counter()
                board = wallboard(session, now=NOW, zone=ZONE)
                times.append((time.perf_counter() - started) * 1000)
        assert board.total.day.offered == contacts
        engine.dispose()
    return Result(backend, contacts, agents, QUEUES, min(times), statistics.median(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    args = parser.parse_args()
    results = [run(b, args.contacts, args.agents) for b in args.backend or ["sqlite", "postgresql"]]
    if args.json:
        print(json.dumps([asdict(result) for result in results]))
        return
    for r in results:
        print(
            f"wallboard ({r.backend}): {r.contacts:,} contacts, {r.agents} agents, "
            f"{r.queues} queues in {r.best_ms:,.0f} ms (median {r.median_ms:,.0f} ms)"
        )


if __name__ == "__main__":
    main()
