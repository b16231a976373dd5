"""Random draws for one replication: arrivals, handle times, patience, retrials.

Each kind of draw has its own stream (spawned from the replication's ``SeedSequence``), so
changing, say, the patience of one queue leaves every arrival and handle time of a what-if
run as it was (common random numbers), and replications are independent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from frontline.sim.scenario import Distribution, Scenario

__all__ = ["Arrivals", "Streams", "draw_arrivals", "draw_durations", "lognormal_parameters"]


@dataclass(frozen=True, slots=True)
class Streams:
    arrivals: np.random.Generator
    handle: np.random.Generator
    patience: np.random.Generator
    retrial: np.random.Generator

    @classmethod
    def spawn(cls, seed: np.random.SeedSequence) -> Streams:
        # The children spawn() would give, but without advancing ``seed``'s spawn counter:
        # the same SeedSequence always gives the same streams.
        children = (
            np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, index))
            for index in range(4)
        )
        arrivals, handle, patience, retrial = (np.random.default_rng(c) for c in children)
        return cls(arrivals, handle, patience, retrial)


@dataclass(frozen=True, slots=True)
class Arrivals:
    """All first arrivals of the day in time order: when, and to which queue (index)."""

    times: list[float]
    queues: list[int]


def draw_arrivals(scenario: Scenario, rng: np.random.Generator) -> Arrivals:
    """A non-homogeneous Poisson process, piecewise constant per interval: in each interval
    a Poisson count with the expected arrivals as mean, spread uniformly over it (which is
    exactly how a Poisson process with a constant rate places its points)."""
    length = scenario.interval_seconds
    starts = scenario.open + length * np.arange(scenario.intervals)
    # The last interval may be cut short by the closing time.
    lengths = np.minimum(starts + length, scenario.close) - starts
    times, queues = [], []
    for index, queue in enumerate(scenario.queues):
        counts = rng.poisson(np.asarray(scenario.expected_arrivals(queue)) * lengths / length)
        offsets = rng.random(int(counts.sum())) * np.repeat(lengths, counts)
        times.append(np.repeat(starts, counts) + offsets)
        queues.append(np.full(int(counts.sum()), index))
    all_times = np.concatenate(times)
    order = np.argsort(all_times, kind="stable")
    return Arrivals(all_times[order].tolist(), np.concatenate(queues)[order].tolist())


def lognormal_parameters(mean: float, sd: float) -> tuple[float, float]:
    """(mu, sigma) of the normal in log space whose lognormal has this mean and sd:
    sigma^2 = ln(1 + sd^2 / mean^2), mu = ln(mean) - sigma^2 / 2."""
    sigma2 = math.log1p((sd / mean) ** 2)
    return math.log(mean) - sigma2 / 2, math.sqrt(sigma2)


def draw_durations(distribution: Distribution, size: int, rng: np.random.Generator) -> list[float]:
    if distribution.distribution == "exponential":
        assert distribution.mean_seconds is not None  # checked by the scenario
        values = rng.exponential(distribution.mean_seconds, size)
    elif distribution.distribution == "lognormal":
        assert distribution.mean_seconds is not None and distribution.sd_seconds is not None
        mu, sigma = lognormal_parameters(distribution.mean_seconds, distribution.sd_seconds)
        values = rng.lognormal(mu, sigma, size)
    else:
        assert distribution.samples is not None
        values = rng.choice(np.asarray(distribution.samples, dtype=np.float64), size)
    result: list[float] = values.tolist()
    return result
