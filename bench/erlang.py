"""How fast the staffing search sizes a day of queues and one huge interval, against pyworkforce.

Run ``python bench/erlang.py`` (add ``--json`` for machines). Times
``frontline.wfm.staffing.required_agents`` (Erlang C, 80% answered in 20 s) on

* a day of 15-minute intervals for 16 queues (96 x 16 = 1,536 intervals, 20-600 calls and
  an AHT of 180-400 s each), best of several runs;
* one interval of 1,000,000 calls per hour at a 300 s AHT (83,333 Erlangs);
* a year of half-hour intervals (17,520), with Erlang C and with Erlang A (patience 120 s).

When pyworkforce is importable, its ``ErlangC.required_positions`` sizes the first two in
the same run, in a child process with a time limit (it staffs one position at a time in
pure Python), and the script prints the speed-up and how many agent counts agree;
otherwise it says it skipped the comparison. The target is identical agent counts and at
least 50x the speed.

Both sides are timed alike: the best of at least ``REPEATS`` runs and of as many as fit in
``BUDGET_SECONDS``, in wall-clock time and in CPU time of the process
(``time.process_time``), which a busy machine disturbs less; the load average is printed
with the figures.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import importlib.util
import json
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from typing import Any

import numpy as np
from numpy.typing import NDArray

from frontline.wfm.staffing import required_agents

SERVICE_LEVEL_TARGET = 0.8
TARGET_ANSWER_SECONDS = 20
PATIENCE_SECONDS = 120
SEED = 2024
# Best of several runs, on the same terms for pyworkforce as for us: milliseconds are
# easily disturbed by neighbours on a shared machine, so each side gets at least this
# many runs and as many more as fit in the same time budget.
REPEATS = 7
BUDGET_SECONDS = 1.0
PYWORKFORCE_TIME_LIMIT_SECONDS = 120.0

DAY_INTERVALS, QUEUES, DAY_INTERVAL_SECONDS = 96, 16, 900
HUGE_CALLS, HUGE_INTERVAL_SECONDS, HUGE_AHT_SECONDS = 1_000_000, 3600, 300.0
YEAR_INTERVALS, YEAR_INTERVAL_SECONDS = 365 * 48, 1800


@dataclass(frozen=True)
class Case:
    """Intervals to staff with Erlang C: calls and AHT per interval, one interval length."""

    label: str
    volume: NDArray[np.float64]
    aht_seconds: NDArray[np.float64]
    interval_seconds: int


@dataclass(frozen=True)
class Timing:
    case: str
    intervals: int
    milliseconds: float
    cpu_milliseconds: float
    mean_agents: float


@dataclass(frozen=True)
class Comparison:
    """pyworkforce on one case: its timing, or why there is none."""

    case: str
    pyworkforce: Timing | None
    failure: str | None
    speedup: float | None
    cpu_speedup: float | None
    agreeing_intervals: int | None


def day_of_queues() -> Case:
    """16 queues x 96 quarter hours: each queue a daily curve of its own size, plus noise."""
    rng = np.random.default_rng(SEED)
    hour = np.arange(DAY_INTERVALS)[:, None] / 4.0
    curve = np.exp(-(((hour - 11.0) / 3.0) ** 2)) + 0.8 * np.exp(-(((hour - 15.5) / 2.5) ** 2))
    peak = rng.uniform(100.0, 600.0, QUEUES)
    volume = 20.0 + (peak - 20.0) * curve / curve.max() * rng.uniform(0.85, 1.0, curve.shape)
    aht_seconds = np.broadcast_to(rng.uniform(180.0, 400.0, QUEUES), volume.shape)
    return Case("96x16", volume.ravel(), aht_seconds.ravel().copy(), DAY_INTERVAL_SECONDS)


def huge_interval() -> Case:
    return Case(
        "1,000,000 calls/hour",
        np.array([float(HUGE_CALLS)]),
        np.array([HUGE_AHT_SECONDS]),
        HUGE_INTERVAL_SECONDS,
    )


def year_of_intervals() -> Case:
    """Calls and AHT per half hour: a daily curve between 100 and 2,000 calls, plus noise."""
    rng = np.random.default_rng(SEED)
    hour = (np.arange(YEAR_INTERVALS) % 48) / 2.0
    curve = np.exp(-(((hour - 11.0) / 3.0) ** 2)) + 0.8 * np.exp(-(((hour - 15.5) / 2.5) ** 2))
    volume = 100.0 + 1_900.0 * curve / curve.max() * rng.uniform(0.85, 1.0, YEAR_INTERVALS)
    aht_seconds = rng.uniform(180.0, 400.0, YEAR_INTERVALS)
    return Case("year", np.clip(volume, 100.0, 2_000.0), aht_seconds, YEAR_INTERVAL_SECONDS)


def staff(case: Case, patience_seconds: float | None = None) -> NDArray[np.int64]:
    agents: NDArray[np.int64] = required_agents(
        case.volume, case.interval_seconds, case.aht_seconds, SERVICE_LEVEL_TARGET,
        TARGET_ANSWER_SECONDS, patience_seconds,
    ).agents  # fmt: skip
    return agents


def best_of(run: Callable[[], Any]) -> tuple[float, float, Any]:
    """Best wall-clock and best CPU seconds of at least ``REPEATS`` runs and as many as fit
    in ``BUDGET_SECONDS``, and the last run's result."""
    wall = cpu = np.inf
    result = None
    runs, deadline = 0, time.perf_counter() + BUDGET_SECONDS
    while runs < REPEATS or time.perf_counter() < deadline:
        started, started_cpu = time.perf_counter(), time.process_time()
        result = run()
        cpu = min(cpu, time.process_time() - started_cpu)
        wall = min(wall, time.perf_counter() - started)
        runs += 1
    return wall, cpu, result


def timing_of(case: str, wall: float, cpu: float, agents: NDArray[Any]) -> Timing:
    return Timing(
        case=case,
        intervals=agents.size,
        milliseconds=round(wall * 1e3, 2),
        cpu_milliseconds=round(cpu * 1e3, 2),
        mean_agents=round(float(np.mean(agents)), 1),
    )


def timed(case: str, run: Callable[[], NDArray[Any]]) -> tuple[Timing, NDArray[Any]]:
    """The best of several runs (see ``best_of``)."""
    wall, cpu, agents = best_of(run)
    return timing_of(case, wall, cpu, agents), agents


def pyworkforce_positions(case: Case) -> tuple[float, float, list[int]]:
    """Best wall and CPU seconds (see ``best_of``) and raw positions per interval by
    pyworkforce (runs in the child)."""
    # Imported by name: pyworkforce is optional and ships no type hints.
    queuing = importlib.import_module("pyworkforce.queuing")

    def positions() -> list[int]:
        found = []
        for calls, aht in zip(case.volume.tolist(), case.aht_seconds.tolist(), strict=True):
            # pyworkforce takes minutes for AHT, the answer time and the interval.
            erlang = queuing.ErlangC(
                transactions=calls, aht=aht / 60, asa=TARGET_ANSWER_SECONDS / 60,
                interval=case.interval_seconds / 60,
            )  # fmt: skip
            result = erlang.required_positions(SERVICE_LEVEL_TARGET)
            found.append(int(result["raw_positions"]))
        return found

    return best_of(positions)


def _pyworkforce_child(case: Case, connection: Connection) -> None:
    try:
        connection.send(("ok", pyworkforce_positions(case)))
    except Exception as error:  # any failure is a result to report, not a crash
        connection.send(("failed", f"{type(error).__name__}: {error}"))
    finally:
        connection.close()


def pyworkforce_comparison(case: Case, ours: NDArray[Any], our_timing: Timing) -> Comparison:
    """pyworkforce on ``case`` in a child process, stopped after the time limit."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_pyworkforce_child, args=(case, sender), daemon=True)
    child.start()
    sender.close()
    outcome: tuple[str, Any] = ("failed", "exited without an answer")
    try:
        if receiver.poll(PYWORKFORCE_TIME_LIMIT_SECONDS):
            outcome = receiver.recv()
        else:
            outcome = ("failed", f"no answer within {PYWORKFORCE_TIME_LIMIT_SECONDS:g} s")
    except EOFError:
        pass  # the child died (for instance killed by the kernel); outcome says so
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
    if outcome[0] != "ok":
        return Comparison(case.label, None, str(outcome[1]), None, None, None)
    wall, cpu, positions = outcome[1]
    theirs = np.array(positions)
    timing = timing_of(case.label, wall, cpu, theirs)
    return Comparison(
        case=case.label,
        pyworkforce=timing,
        failure=None,
        speedup=round(wall / (our_timing.milliseconds / 1e3), 1),
        cpu_speedup=round(cpu / (our_timing.cpu_milliseconds / 1e3), 1),
        agreeing_intervals=int(np.sum(theirs == ours)),
    )


def report(ours: Timing, comparison: Comparison | None, agents: NDArray[Any]) -> None:
    what = "96 intervals x 16 queues" if ours.case == "96x16" else ours.case
    agents_note = "" if ours.intervals > 1 else f" ({int(agents[0]):,} agents)"
    print(
        f"erlang C staffing: {what} in {ours.milliseconds:,.2f} ms{agents_note} "
        f"(CPU {ours.cpu_milliseconds:,.2f} ms)"
    )
    if comparison is None:
        print("pyworkforce: not installed, comparison skipped")
        return
    if comparison.pyworkforce is None:
        print(f"pyworkforce: {what} failed: {comparison.failure}")
        return
    theirs = comparison.pyworkforce
    print(
        f"pyworkforce: {what} in {theirs.milliseconds:,.2f} ms "
        f"(CPU {theirs.cpu_milliseconds:,.2f} ms)"
    )
    print(
        f"erlang C: {comparison.speedup:,}x faster than pyworkforce ({ours.case}; "
        f"{comparison.cpu_speedup:,}x in CPU time)"
    )
    print(
        f"erlang C: same agents as pyworkforce in {comparison.agreeing_intervals:,} "
        f"of {ours.intervals:,} intervals"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    arguments = parser.parse_args()
    have_pyworkforce = importlib.util.find_spec("pyworkforce") is not None
    load_before = os.getloadavg()
    year = year_of_intervals()
    staff(year)  # the first call pays for imports and SciPy's lazy set-up; not timed
    figures: dict[str, Any] = {}
    for case in (day_of_queues(), huge_interval()):
        timing, agents = timed(case.label, functools.partial(staff, case))
        comparison = pyworkforce_comparison(case, agents, timing) if have_pyworkforce else None
        figures[case.label] = {
            "erlang_c": asdict(timing),
            "pyworkforce": None if comparison is None else asdict(comparison),
        }
        if not arguments.json:
            report(timing, comparison, agents)
    year_c, _ = timed("year, erlang C", lambda: staff(year))
    year_a, _ = timed("year, erlang A", lambda: staff(year, PATIENCE_SECONDS))
    figures["year"] = {"erlang_c": asdict(year_c), "erlang_a": asdict(year_a)}
    figures["load_average"] = {"before": load_before, "after": os.getloadavg()}
    if arguments.json:
        print(json.dumps(figures))
        return 0
    for name, timing in (("C", year_c), ("A", year_a)):
        print(
            f"erlang {name} staffing: {timing.intervals:,} intervals (a year of half hours) "
            f"in {timing.milliseconds:,.0f} ms "
            f"({timing.intervals / timing.milliseconds * 1e3:,.0f} intervals/s)"
        )
    before, after = (
        ", ".join(f"{value:.2f}" for value in loads) for loads in figures["load_average"].values()
    )
    print(f"load average: {before} before, {after} after")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
