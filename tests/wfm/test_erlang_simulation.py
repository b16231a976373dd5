"""Erlang A against a discrete-event simulation of the M/M/n+M queue it models.

The simulation is written here from the model's definition, sharing nothing with
``frontline.wfm``: Poisson arrivals, exponential handle times and exponential patience,
n agents, first come first served. A caller is answered at the earlier of their arrival and
the moment the first agent falls free — unless their patience runs out first, in which case
they hang up and take no agent's time. Because service goes in arrival order among the
callers still waiting, one pass over the callers in arrival order, keeping the n agents'
free-at times in a heap, is an exact simulation.

Each parameter set runs independent seeded replications; the Erlang A figure must lie in
the 99% confidence interval (Student's t over the replication means) of the simulated one.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
import pytest
from numpy.typing import NDArray
from scipy import stats  # type: ignore[import-untyped]  # SciPy ships no type hints

from frontline.wfm import erlang_a

REPLICATIONS = 10
CALLS = 200_000
# The simulated centre opens empty; calls before it settles are left out of every measure.
WARM_UP_CALLS = 2_000
CONFIDENCE = 0.99


@dataclass(frozen=True)
class Queue:
    load_erlangs: float
    agents: int
    aht_seconds: float
    patience_seconds: float
    answer_seconds: float


@dataclass(frozen=True)
class Replication:
    """Per measure, the share or mean over one replication's calls after the warm-up."""

    p_abandon: float
    p_wait: float
    asa_seconds: float
    service_level: float


def simulate(queue: Queue, rng: np.random.Generator) -> Replication:
    """One replication of M/M/n+M, first come first served."""
    rate = queue.load_erlangs / queue.aht_seconds  # calls per second
    arrivals = np.cumsum(rng.exponential(1.0 / rate, CALLS)).tolist()
    handle_times = rng.exponential(queue.aht_seconds, CALLS).tolist()
    patience = rng.exponential(queue.patience_seconds, CALLS).tolist()
    # Python floats and lists in the loop: a NumPy call per caller would cost more than
    # the arithmetic it does.
    free_at = [0.0] * queue.agents
    waits = np.empty(CALLS)
    abandoned = np.zeros(CALLS, dtype=bool)
    for i, arrival in enumerate(arrivals):
        start = max(arrival, free_at[0])
        if start < arrival + patience[i]:
            heapq.heapreplace(free_at, start + handle_times[i])
            waits[i] = start - arrival
        else:
            waits[i] = patience[i]  # waited until hanging up
            abandoned[i] = True
    waits, abandoned = waits[WARM_UP_CALLS:], abandoned[WARM_UP_CALLS:]
    answered_in_time = ~abandoned & (waits <= queue.answer_seconds)
    return Replication(
        p_abandon=float(abandoned.mean()),
        p_wait=float(np.mean(waits > 0)),
        asa_seconds=float(waits.mean()),
        service_level=float(answered_in_time.mean()),
    )


def confidence_interval(values: NDArray[np.float64]) -> tuple[float, float]:
    half_width = (
        stats.t.ppf(0.5 + CONFIDENCE / 2, values.size - 1)
        * values.std(ddof=1)
        / np.sqrt(values.size)
    )
    return float(values.mean() - half_width), float(values.mean() + half_width)


@pytest.mark.parametrize(
    ("queue", "seed"),
    [
        # Fewer agents than Erlangs: a quarter of the callers hang up.
        (Queue(10.0, 8, 180.0, 120.0, 20.0), 20261123),
        # As many agents as Erlangs, callers more patient than a call is long.
        (Queue(20.0, 20, 300.0, 600.0, 15.0), 20261124),
        # More agents than Erlangs: few wait, fewer hang up.
        (Queue(10.0, 13, 180.0, 90.0, 20.0), 20261125),
    ],
    ids=["n<A", "n=A", "n>A"],
)
def test_erlang_a_agrees_with_simulation(queue: Queue, seed: int) -> None:
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(REPLICATIONS)]
    runs = [simulate(queue, rng) for rng in rngs]
    # volume = load per AHT-long interval, so the Erlang functions see the same load.
    m = erlang_a(
        queue.load_erlangs, queue.aht_seconds, queue.aht_seconds, queue.agents,
        queue.answer_seconds, queue.patience_seconds,
    )  # fmt: skip
    assert m.p_abandon is not None
    expected = {
        "p_abandon": float(m.p_abandon),
        "p_wait": float(m.p_wait),
        "asa_seconds": float(m.asa_seconds),
        "service_level": float(m.service_level),
    }
    intervals = {
        measure: confidence_interval(np.array([getattr(run, measure) for run in runs]))
        for measure in expected
    }
    outside = {
        measure: (value, intervals[measure])
        for measure, value in expected.items()
        if not intervals[measure][0] <= value <= intervals[measure][1]
    }
    assert outside == {}, f"Erlang A outside the simulation's {CONFIDENCE:.0%} interval"
