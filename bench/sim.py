"""How fast the simulator runs a peak day through the routing engine, against SimPy 4.

Run ``python bench/sim.py`` (add ``--json`` for machines, ``--repeat N`` for more runs;
the best run counts). The day: 16,000 calls to 16 product queues from 08:00 to 20:00
with a two-peak intraday profile, 250 agents in 16 single-skill teams (15-16 each) on
shift 08:00-21:00, exponential handle times (300 s) and patience (120 s): an M/M/n+M
queue per product with time-varying arrivals. One replication of ``frontline.sim``
(arrivals drawn, every routing decision made by the engine, figures computed by
``frontline.metrics``) is timed against the same day written in SimPy 4 (a Resource per
queue, each caller racing its request against its patience), whose figures go through
the same metrics functions.

A second figure runs the multi-skill variant: every agent also knows the next product at
proficiency 1, and each queue overflows to it after 30 s — work SimPy's Resource cannot
express without writing a router.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections.abc import Generator
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import simpy

from frontline.metrics import ContactOutcome, abandonment_rate, service_level
from frontline.sim import Scenario, simulate
from frontline.sim.sampling import draw_arrivals

SEED = 2026
QUEUES, AGENTS, CALLS = 16, 250, 16_000
AHT_SECONDS, PATIENCE_SECONDS = 300.0, 120.0
OPEN, CLOSE, SHIFT_END = "08:00", "20:00", "21:00"
INTERVALS = 48  # quarter hours from 08:00 to 20:00


@dataclass(frozen=True)
class Result:
    calls: int
    agents: int
    queues: int
    frontline_seconds: float
    simpy_seconds: float
    speedup: float
    multi_skill_seconds: float
    frontline_service_level: float
    simpy_service_level: float
    frontline_abandonment: float
    simpy_abandonment: float


def profile() -> list[float]:
    """A morning peak at 10:30 and a smaller one at 15:00, as contact centres see."""
    hours = 8 + 0.25 * (np.arange(INTERVALS) + 0.5)
    shape = (
        0.4 + np.exp(-(((hours - 10.5) / 1.5) ** 2)) + 0.7 * np.exp(-(((hours - 15.0) / 1.5) ** 2))
    )
    return [round(float(value), 4) for value in shape]


def scenario(multi_skill: bool) -> Scenario:
    queues = [
        {
            "name": f"product {index + 1}",
            "skills": [{"skill": f"product {index + 1}", "min_proficiency": 2}],
            "overflow": (
                [{"after_seconds": 30, "skills": [f"product {index + 1}"]}] if multi_skill else []
            ),
            "daily_volume": CALLS / QUEUES,
            "handle": {"distribution": "exponential", "mean_seconds": AHT_SECONDS},
            "patience": {"distribution": "exponential", "mean_seconds": PATIENCE_SECONDS},
        }
        for index in range(QUEUES)
    ]
    agents = []
    for index in range(QUEUES):
        skills = {f"product {index + 1}": 3}
        if multi_skill:
            skills[f"product {(index + 1) % QUEUES + 1}"] = 1
        agents.append(
            {
                "name": f"team {index + 1}",
                "count": AGENTS // QUEUES + (index < AGENTS % QUEUES),
                "skills": skills,
                "shift": {"start": OPEN, "end": SHIFT_END},
            }
        )
    return Scenario.model_validate(
        {
            "seed": SEED,
            "replications": 1,
            "open": OPEN,
            "close": CLOSE,
            "profile": profile(),
            "queues": queues,
            "agents": agents,
        }
    )


def team_sizes() -> list[int]:
    return [AGENTS // QUEUES + (index < AGENTS % QUEUES) for index in range(QUEUES)]


def run_simpy(day: Scenario) -> list[ContactOutcome]:
    """The M/M/n+M day in SimPy 4: same arrival process, same distributions."""
    rng = np.random.default_rng(SEED)
    arrivals = draw_arrivals(day, rng)
    handle = rng.exponential(AHT_SECONDS, len(arrivals.times)).tolist()
    patience = rng.exponential(PATIENCE_SECONDS, len(arrivals.times)).tolist()
    env = simpy.Environment(initial_time=day.open)
    teams = [simpy.Resource(env, capacity=size) for size in team_sizes()]
    outcomes: list[ContactOutcome] = []

    def caller(index: int) -> Generator[simpy.Event, Any, None]:
        queue, arrived = arrivals.queues[index], env.now
        with teams[queue].request() as request:
            result = yield request | env.timeout(patience[index])
            if request not in result:
                outcomes.append(ContactOutcome(queue, arrived, abandoned_at=env.now))
                return
            answered = env.now
            yield env.timeout(handle[index])
            outcomes.append(ContactOutcome(queue, arrived, answered, None, env.now, env.now))

    def source() -> Generator[simpy.Event, Any, None]:
        for index, at in enumerate(arrivals.times):
            yield env.timeout(at - env.now)
            env.process(caller(index))

    env.process(source())
    env.run()
    return outcomes


def best_of(repeat: int, run: Any) -> tuple[float, Any]:
    best, value = math.inf, None
    for _ in range(repeat):
        started = time.perf_counter()
        value = run()
        best = min(best, time.perf_counter() - started)
    return best, value


def measure(repeat: int) -> Result:
    single, multi = scenario(multi_skill=False), scenario(multi_skill=True)
    frontline_seconds, result = best_of(repeat, lambda: simulate(single))
    simpy_seconds, outcomes = best_of(repeat, lambda: run_simpy(single))
    multi_seconds, _ = best_of(repeat, lambda: simulate(multi))
    offered = sum(queue.day.offered.mean or 0 for queue in result.queues)
    answered = sum(queue.day.answered.mean or 0 for queue in result.queues)
    abandoned = sum(queue.day.abandoned.mean or 0 for queue in result.queues)
    # Every queue has the default policy, so the pooled figures compare like with like.
    within = sum(
        (queue.day.service_level.mean or 0)
        * ((queue.day.answered.mean or 0) + (queue.day.abandoned.mean or 0))
        for queue in result.queues
    )
    return Result(
        calls=round(offered),
        agents=AGENTS,
        queues=QUEUES,
        frontline_seconds=round(frontline_seconds, 3),
        simpy_seconds=round(simpy_seconds, 3),
        speedup=round(simpy_seconds / frontline_seconds, 2),
        multi_skill_seconds=round(multi_seconds, 3),
        frontline_service_level=round(within / (answered + abandoned), 4),
        simpy_service_level=round(service_level(outcomes) or 0.0, 4),
        frontline_abandonment=round(abandoned / (answered + abandoned), 4),
        simpy_abandonment=round(abandonment_rate(outcomes) or 0.0, 4),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    arguments = parser.parse_args()
    result = measure(arguments.repeat)
    if arguments.json:
        print(json.dumps(asdict(result)))
        return 0
    print(
        f"simulator: {result.calls:,} calls, {result.agents} agents, {result.queues} queues, "
        f"one replication in {result.frontline_seconds:.2f} s"
    )
    print(f"simpy: the same M/M/n+M day in {result.simpy_seconds:.2f} s")
    print(f"simulator: {result.speedup:.2f}x faster than SimPy")
    print(f"simulator (multi-skill, overflow after 30 s): {result.multi_skill_seconds:.2f} s")
    print(
        f"service level 90/20: simulator {result.frontline_service_level:.1%}, "
        f"SimPy {result.simpy_service_level:.1%}; abandoned: simulator "
        f"{result.frontline_abandonment:.1%}, SimPy {result.simpy_abandonment:.1%}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
