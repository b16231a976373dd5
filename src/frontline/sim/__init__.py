"""A discrete-event simulator in virtual time that drives the real routing engine.

A pure core (no wall clock, no database): a :class:`Scenario` in, a
:class:`SimulationResult` out — per queue and interval the service level under the queue's
policy, ASA, abandonment, queue lengths, and occupancy and per-agent utilisation, each a
mean with a confidence interval over independent replications. Start with
``docs/simulator.md``.

>>> from frontline.sim import parse_scenario, simulate
>>> scenario = parse_scenario('''
... replications = 3
... open = "09:00"
... close = "10:00"
... [[queues]]
... name = "help"
... skills = ["help"]
... arrivals = [30, 30, 30, 30]
... handle = { distribution = "exponential", mean_seconds = 120 }
... [[agents]]
... name = "team"
... count = 5
... skills = { help = 3 }
... shift = { start = "09:00", end = "10:30" }
... ''')
>>> result = simulate(scenario)
>>> result.queues[0].name, result.replications, len(result.queues[0].intervals)
('help', 3, 4)
>>> simulate(scenario) == result  # the seed makes every run the same
True
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from frontline.sim.loading import ScenarioError, load_scenario, parse_scenario
from frontline.sim.plan import Plan
from frontline.sim.replication import run_replication
from frontline.sim.results import (
    AgentResult,
    Estimate,
    IntervalResult,
    QueueResult,
    SimulationResult,
    SummaryEstimate,
    summarise_replications,
)
from frontline.sim.scenario import Scenario

__all__ = [
    "AgentResult",
    "Estimate",
    "IntervalResult",
    "QueueResult",
    "Scenario",
    "ScenarioError",
    "SimulationResult",
    "SummaryEstimate",
    "load_scenario",
    "parse_scenario",
    "simulate",
]


def simulate(
    scenario: Scenario,
    replications: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> SimulationResult:
    """Run ``replications`` (default: the scenario's) independent days and summarise them.

    Replication r draws from the r-th child of ``SeedSequence(scenario.seed)``, so results
    are reproducible from the seed and replication r is the same whatever the count.
    ``progress`` is called with the number of replications done after each one.
    """
    count = scenario.replications if replications is None else replications
    if count < 1:
        raise ScenarioError(f"must be >= 1, got {count}", key="replications")
    plan = Plan.of(scenario)
    days = []
    for done, seed in enumerate(np.random.SeedSequence(scenario.seed).spawn(count), start=1):
        days.append(run_replication(scenario, plan, seed))
        if progress is not None:
            progress(done)
    return summarise_replications(scenario, days, plan.agent_group)
