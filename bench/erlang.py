"""How fast the staffing search sizes a year of half-hour intervals.

Run ``python bench/erlang.py`` (add ``--json`` for machines). Times
``frontline.wfm.staffing.required_agents`` for 17,520 intervals (365 days x 48) with
100-2,000 calls and an AHT of 180-400 s per interval, 80% answered in 20 s, once with
Erlang C and once with Erlang A (mean patience 120 s), best of three runs each. When
pyworkforce is importable it sizes the same intervals with its
``ErlangC.required_positions`` in the same run, checks that both agree, and prints the
speed-up; otherwise it says it skipped the comparison.
"""

from __future__ import annotations

import argparse
import importlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from frontline.wfm.staffing import required_agents

INTERVALS = 365 * 48
INTERVAL_SECONDS = 1800
SERVICE_LEVEL_TARGET = 0.8
TARGET_ANSWER_SECONDS = 20
PATIENCE_SECONDS = 120
SEED = 2024
REPEATS = 3  # for Frontline's runs; pyworkforce's, seconds long, runs once


@dataclass(frozen=True)
class Timing:
    name: str
    intervals: int
    seconds: float
    intervals_per_second: float
    mean_agents: float


@dataclass(frozen=True)
class Comparison:
    pyworkforce: Timing | None
    speedup: float | None
    agreeing_intervals: int | None


def workload(intervals: int = INTERVALS) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Calls and AHT per interval: a daily curve between 100 and 2,000 calls, plus noise."""
    rng = np.random.default_rng(SEED)
    hour = (np.arange(intervals) % 48) / 2.0
    # Busiest late morning and mid-afternoon, quietest at night.
    curve = np.exp(-(((hour - 11.0) / 3.0) ** 2)) + 0.8 * np.exp(-(((hour - 15.5) / 2.5) ** 2))
    volume = 100.0 + 1_900.0 * curve / curve.max() * rng.uniform(0.85, 1.0, intervals)
    aht_seconds = rng.uniform(180.0, 400.0, intervals)
    return np.clip(volume, 100.0, 2_000.0), aht_seconds


def timed(
    name: str, run: Callable[[], NDArray[Any]], intervals: int, repeats: int = 1
) -> tuple[Timing, NDArray[Any]]:
    """The best of ``repeats`` runs: a tenth of a second is easily disturbed by neighbours."""
    seconds = np.inf
    for _ in range(repeats):
        started = time.perf_counter()
        agents = run()
        seconds = min(seconds, time.perf_counter() - started)
    timing = Timing(
        name=name,
        intervals=intervals,
        seconds=round(seconds, 4),
        intervals_per_second=round(intervals / seconds),
        mean_agents=round(float(np.mean(agents)), 1),
    )
    return timing, agents


def frontline_timings(
    volume: NDArray[np.float64], aht_seconds: NDArray[np.float64]
) -> tuple[Timing, Timing, NDArray[Any]]:
    def staff(patience_seconds: float | None) -> NDArray[Any]:
        return required_agents(
            volume, INTERVAL_SECONDS, aht_seconds, SERVICE_LEVEL_TARGET,
            TARGET_ANSWER_SECONDS, patience_seconds,
        ).agents  # fmt: skip

    staff(None)  # first call pays for imports and SciPy's lazy set-up; not timed
    erlang_c, agents_c = timed("erlang C staffing", lambda: staff(None), volume.size, REPEATS)
    erlang_a, _ = timed("erlang A staffing", lambda: staff(PATIENCE_SECONDS), volume.size, REPEATS)
    return erlang_c, erlang_a, agents_c


def pyworkforce_comparison(
    volume: NDArray[np.float64],
    aht_seconds: NDArray[np.float64],
    ours: NDArray[Any],
    ours_seconds: float,
) -> Comparison:
    try:
        # Imported by name: pyworkforce is optional and ships no type hints.
        queuing = importlib.import_module("pyworkforce.queuing")
    except ImportError:
        return Comparison(pyworkforce=None, speedup=None, agreeing_intervals=None)

    def staff() -> NDArray[Any]:
        positions = []
        for calls, aht in zip(volume.tolist(), aht_seconds.tolist(), strict=True):
            # pyworkforce takes minutes for AHT, the answer time and the interval.
            erlang = queuing.ErlangC(
                transactions=calls, aht=aht / 60, asa=TARGET_ANSWER_SECONDS / 60,
                interval=INTERVAL_SECONDS / 60,
            )  # fmt: skip
            result = erlang.required_positions(service_level=SERVICE_LEVEL_TARGET)
            positions.append(result["raw_positions"])
        return np.array(positions)

    timing, theirs = timed("pyworkforce ErlangC", staff, volume.size)
    return Comparison(
        pyworkforce=timing,
        speedup=round(timing.seconds / ours_seconds, 1),
        agreeing_intervals=int(np.sum(theirs == ours)),
    )


def print_timing(timing: Timing) -> None:
    print(
        f"{timing.name}: {timing.intervals:,} intervals in {timing.seconds:.2f} s "
        f"({timing.intervals_per_second:,.0f} intervals/s, mean {timing.mean_agents:,.1f} agents)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    arguments = parser.parse_args()
    volume, aht_seconds = workload()
    erlang_c, erlang_a, agents_c = frontline_timings(volume, aht_seconds)
    comparison = pyworkforce_comparison(volume, aht_seconds, agents_c, erlang_c.seconds)
    if arguments.json:
        figures = {"erlang_c": asdict(erlang_c), "erlang_a": asdict(erlang_a)}
        print(json.dumps(figures | asdict(comparison)))
        return 0
    print_timing(erlang_c)
    print_timing(erlang_a)
    if comparison.pyworkforce is None:
        print("pyworkforce: not installed, comparison skipped")
        return 0
    print_timing(comparison.pyworkforce)
    print(f"erlang C: {comparison.speedup}x faster than pyworkforce")
    print(
        f"erlang C: same agents as pyworkforce in {comparison.agreeing_intervals:,} "
        f"of {volume.size:,} intervals"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
