"""How many decisions a second the routing engine makes for a large contact center.

Run ``python bench/routing.py`` (add ``--json`` for machines, ``--contacts N`` to change
the length). 10,000 agents with 4 of 100 channel-language skills and 1-2 of 100 product
skills (200 skills), 100 queues (70 voice, 20 chat, 10 e-mail), each needing one skill at
proficiency 2, widening after 30 s to proficiency 1 and after 90 s to anyone with the
queue's product skill. A simulated day drives the engine: Poisson arrivals at 95% of the
agents' capacity, offers answered after 2 s (3% refused), exponential handle times of
180 s on average, 10 s of wrap-up, and a tick every simulated second.

A decision is one object the engine returns (an offer, a wrap-up start or end, an
overflow, a re-queue). The figure is decisions per second of time spent inside the
engine's methods; the simulation's own bookkeeping is timed apart.
"""

from __future__ import annotations

import argparse
import heapq
import json
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from frontline.routing import (
    AgentConfig,
    Contact,
    Decision,
    Engine,
    Offer,
    OverflowStep,
    QueueConfig,
    SkillRequirement,
    WrapUpStarted,
)

SEED = 2024
AGENTS, QUEUES, PRODUCT_SKILL_BASE = 10_000, 100, 100
HANDLE_SECONDS, WRAP_UP_SECONDS, ANSWER_SECONDS = 180.0, 10.0, 2.0
REFUSAL_SHARE, LOAD_SHARE = 0.03, 0.95


@dataclass(frozen=True)
class Result:
    contacts: int
    engine_calls: int
    decisions: int
    offers: int
    engine_seconds: float
    simulation_seconds: float
    decisions_per_second: float
    engine_calls_per_second: float


def queue_configs() -> list[QueueConfig]:
    channels = ["voice"] * 7 + ["chat"] * 2 + ["email"]
    return [
        QueueConfig(
            queue_id,
            channels[queue_id % 10],
            (SkillRequirement(queue_id, 2),),
            priority=float(queue_id % 3),
            aging_per_second=0.01,
            overflow=(
                OverflowStep(30.0, (SkillRequirement(queue_id, 1),)),
                OverflowStep(90.0, (SkillRequirement(PRODUCT_SKILL_BASE + queue_id // 5, 1),)),
            ),
        )
        for queue_id in range(QUEUES)
    ]


def agent_configs(rng: random.Random) -> list[AgentConfig]:
    agents = []
    for agent_id in range(AGENTS):
        skills = {skill: rng.randint(1, 5) for skill in rng.sample(range(QUEUES), 4)}
        for product in rng.sample(range(PRODUCT_SKILL_BASE, 2 * PRODUCT_SKILL_BASE), 2):
            skills[product] = rng.randint(1, 5)
        capacity = {"voice": 1}
        if rng.random() < 0.3:
            capacity["chat"] = 3
        if rng.random() < 0.2:
            capacity["email"] = 5
        agents.append(AgentConfig(agent_id, skills, capacity))
    return agents


class Simulation:
    """A day of arrivals and agents' answers, each an engine call timed on its own."""

    def __init__(self, contacts: int) -> None:
        self.rng = random.Random(SEED)
        self.engine = Engine(queue_configs())
        self.events: list[tuple[float, int, str, int, int]] = []  # time, n, kind, ids
        self.counter = 0
        self.contacts_left = contacts
        self.engine_seconds = 0.0
        self.calls = 0
        self.kinds: Counter[str] = Counter()
        for config in agent_configs(self.rng):
            self.engine.agent_login(config, 0.0)
            self.engine.agent_ready(config.agent_id, 0.0)
        self.arrivals_per_second = LOAD_SHARE * AGENTS / (HANDLE_SECONDS + WRAP_UP_SECONDS)

    def call(self, operation: Callable[..., list[Decision]], *arguments: Any) -> None:
        """Call ``operation(*arguments)``, whose last argument is ``now``, timing only it."""
        started = time.perf_counter()
        decisions = operation(*arguments)
        self.engine_seconds += time.perf_counter() - started
        now = arguments[-1]
        self.calls += 1
        for decision in decisions:
            self.kinds[type(decision).__name__] += 1
            if isinstance(decision, Offer):
                self.schedule(now + ANSWER_SECONDS, "answer", decision.contact_id, 0)
            elif isinstance(decision, WrapUpStarted):
                done = now + WRAP_UP_SECONDS
                self.schedule(done, "wrap_up_done", decision.contact_id, decision.agent_id)

    def schedule(self, at: float, kind: str, contact_id: int, agent_id: int) -> None:
        self.counter += 1
        heapq.heappush(self.events, (at, self.counter, kind, contact_id, agent_id))

    def run(self) -> None:
        self.schedule(0.0, "arrival", 0, 0)
        self.schedule(1.0, "tick", 0, 0)
        while self.events:
            now, _, kind, contact_id, agent_id = heapq.heappop(self.events)
            self.step(now, kind, contact_id, agent_id)

    def step(self, now: float, kind: str, contact_id: int, agent_id: int) -> None:
        engine, rng = self.engine, self.rng
        if kind == "arrival" and self.contacts_left:
            self.contacts_left -= 1
            contact = Contact(self.counter, rng.randrange(QUEUES))
            self.call(engine.enqueue, contact, now)
            self.schedule(now + rng.expovariate(self.arrivals_per_second), "arrival", 0, 0)
        elif kind == "tick" and (self.contacts_left or len(self.events) > 1):
            self.call(engine.tick, now)
            self.schedule(now + 1.0, "tick", 0, 0)
        elif kind == "answer" and contact_id in engine.contacts:
            if engine.contacts[contact_id].offered_to is None:
                return  # timed out or ended before the answer
            if rng.random() < REFUSAL_SHARE:
                self.call(engine.offer_rejected, contact_id, now)
                return
            self.call(engine.offer_accepted, contact_id, now)
            self.schedule(now + rng.expovariate(1 / HANDLE_SECONDS), "end", contact_id, 0)
        elif kind == "end" and contact_id in engine.contacts:
            self.call(engine.contact_ended, contact_id, now)
        elif kind == "wrap_up_done":
            agent = engine.agents[agent_id]
            if contact_id in agent.work:  # not already ended by the wrap-up limit
                self.call(engine.wrap_up_done, agent_id, contact_id, now)


def measure(contacts: int) -> Result:
    simulation = Simulation(contacts)
    started = time.perf_counter()
    simulation.run()
    total = time.perf_counter() - started
    decisions = sum(simulation.kinds.values())
    return Result(
        contacts=contacts,
        engine_calls=simulation.calls,
        decisions=decisions,
        offers=simulation.kinds["Offer"],
        engine_seconds=round(simulation.engine_seconds, 3),
        simulation_seconds=round(total, 3),
        decisions_per_second=round(decisions / simulation.engine_seconds),
        engine_calls_per_second=round(simulation.calls / simulation.engine_seconds),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--contacts", type=int, default=100_000, help="contacts to route")
    arguments = parser.parse_args()
    result = measure(arguments.contacts)
    if arguments.json:
        print(json.dumps(asdict(result)))
        return 0
    print(f"routing: {result.decisions_per_second:,} decisions/s")
    print(
        f"routing: {result.contacts:,} contacts, {result.engine_calls:,} engine calls, "
        f"{result.decisions:,} decisions ({result.offers:,} offers) in "
        f"{result.engine_seconds:,.2f} s inside the engine "
        f"({result.simulation_seconds:,.2f} s with the simulation); "
        f"{AGENTS:,} agents, {QUEUES} queues, 200 skills"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
