"""How many agents each interval needs: the fewest that meet every target at once.

Erlang C when ``patience_seconds`` is None, Erlang A otherwise. The search is vectorised
over all intervals: every measure used as a target moves one way as agents are added
(service level up; ASA, abandonment and occupancy down — ``tests/wfm`` checks this), so
"meets all targets" flips from false to true once. For Erlang C a square-root staffing
guess, checked exactly, settles most intervals in one evaluation; a bisection between a
staffing that surely fails and one that surely meets finds the rest in O(log load)
evaluations. ``docs/wfm-math.md`` describes the steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special  # type: ignore[import-untyped]  # SciPy ships no type hints

from frontline.wfm.erlang import QueueMetrics, erlang_a_of_load, erlang_c_of_load
from frontline.wfm.errors import (
    FloatArray,
    QueueingArgumentError,
    broadcast,
    check_fraction,
    check_non_negative,
    check_positive,
    check_share,
)

__all__ = ["StaffingResult", "required_agents"]

IntArray = NDArray[np.int64]

# Doubling the staffing margin 60 times passes any load a float can hold; running out
# means a target no staffing reaches, which validation should already have refused.
_MAX_DOUBLINGS = 60
# Square-root staffing's beta: a few Newton steps put the guess within an agent or so, and
# past 20 standard deviations no service-level target below 1 is left unmet.
_NEWTON_STEPS = 3
_GUESS_NUDGE = 0.2
_MAX_BETA = 20.0
_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)
_UNREACHABLE_SERVICE = (
    "with random arrivals some caller always finds every agent busy, so no staffing "
    "answers every call within target_answer_seconds"
)


@dataclass(frozen=True, slots=True)
class StaffingResult:
    """Per interval: the agents needed and how the queue performs with them.

    Arrays of the inputs' broadcast shape (0-d for scalar inputs), read-only.
    ``agents`` are on the phones; ``scheduled_agents = ceil(agents / (1 - shrinkage))``
    adds the paid time lost to breaks, meetings and absence. ``p_abandon`` is None for
    Erlang C, whose callers never hang up. ``asa_seconds`` is the mean wait of all offered
    calls, as in :class:`frontline.wfm.erlang.QueueMetrics`.
    """

    agents: IntArray
    service_level: FloatArray
    asa_seconds: FloatArray
    occupancy: FloatArray
    p_wait: FloatArray
    p_abandon: FloatArray | None
    scheduled_agents: IntArray


@dataclass(frozen=True, slots=True)
class _Problem:
    """Validated inputs, broadcast and flattened to 1-d arrays of one length."""

    shape: tuple[int, ...]
    load: FloatArray
    aht_seconds: FloatArray
    answer_seconds: FloatArray
    service_level_target: FloatArray
    patience_seconds: FloatArray | None
    max_occupancy: FloatArray
    asa_target_seconds: FloatArray
    max_abandon_rate: FloatArray
    shrinkage: FloatArray

    def metrics(self, index: NDArray[np.intp], agents: FloatArray) -> QueueMetrics:
        load, aht, answer = self.load[index], self.aht_seconds[index], self.answer_seconds[index]
        if self.patience_seconds is None:
            return erlang_c_of_load(load, agents, aht, answer)
        return erlang_a_of_load(load, agents, aht, answer, self.patience_seconds[index])

    def meets(self, index: NDArray[np.intp], agents: FloatArray) -> NDArray[np.bool_]:
        """Whether ``agents`` meet every target of the intervals at ``index``."""
        return self.met_by(index, agents, self.metrics(index, agents))

    def met_by(
        self, index: NDArray[np.intp], agents: FloatArray, m: QueueMetrics
    ) -> NDArray[np.bool_]:
        """Whether ``m``, the measures of ``agents`` agents, meet the targets at ``index``."""
        ok = (
            (agents >= 1)
            & (m.service_level >= self.service_level_target[index])
            & (m.occupancy <= self.max_occupancy[index])
            & (m.asa_seconds <= self.asa_target_seconds[index])
        )
        if m.p_abandon is None:
            return ok & (agents > self.load[index])  # Erlang C: a finite queue at all
        return ok & (m.p_abandon <= self.max_abandon_rate[index])


def required_agents(  # noqa: PLR0917 - positional order is the published API (INTERFACES.md)
    volume: ArrayLike,
    interval_seconds: ArrayLike,
    aht_seconds: ArrayLike,
    service_level_target: ArrayLike,
    target_answer_seconds: ArrayLike,
    patience_seconds: ArrayLike | None = None,
    *,
    max_occupancy: ArrayLike | None = None,
    shrinkage: ArrayLike = 0.0,
    asa_target_seconds: ArrayLike | None = None,
    max_abandon_rate: ArrayLike | None = None,
) -> StaffingResult:
    """The fewest agents per interval meeting the service level and every other target.

    ``service_level_target`` (0 to <1) of calls answered within ``target_answer_seconds``;
    optional caps on occupancy, ASA and (Erlang A only) abandonment. Intervals with calls
    get at least one agent; volume 0 needs none. Arguments broadcast together.

    The classic 80/20 example — 100 calls per 30 minutes, 180 s each — needs 14 agents,
    20 scheduled at 30% shrinkage:

    >>> r = required_agents(100, 1800, 180, 0.8, 20, shrinkage=0.3)
    >>> int(r.agents), int(r.scheduled_agents), round(float(r.service_level), 4)
    (14, 20, 0.8884)

    Callers who hang up after two minutes on average (Erlang A) need fewer agents; many
    intervals are one call:

    >>> required_agents([0, 100, 400, 900], 1800, 180, 0.8, 20, patience_seconds=120).agents
    array([ 0, 12, 41, 87])
    """
    problem = _validated(
        volume=volume,
        interval_seconds=interval_seconds,
        aht_seconds=aht_seconds,
        service_level_target=service_level_target,
        target_answer_seconds=target_answer_seconds,
        patience_seconds=patience_seconds,
        max_occupancy=max_occupancy,
        shrinkage=shrinkage,
        asa_target_seconds=asa_target_seconds,
        max_abandon_rate=max_abandon_rate,
    )
    agents, m = _search(problem)
    # Rounded before the ceiling so that 14 / 0.7 = 20.000000000000004 stays 20.
    scheduled = np.ceil(np.round(agents / (1.0 - problem.shrinkage), 9)).astype(np.int64)
    shape = problem.shape
    return StaffingResult(
        agents=_read_only(agents, shape),
        service_level=_read_only(m.service_level, shape),
        asa_seconds=_read_only(m.asa_seconds, shape),
        occupancy=_read_only(m.occupancy, shape),
        p_wait=_read_only(m.p_wait, shape),
        p_abandon=None if m.p_abandon is None else _read_only(m.p_abandon, shape),
        scheduled_agents=_read_only(scheduled, shape),
    )


def _search(problem: _Problem) -> tuple[IntArray, QueueMetrics]:
    """Per interval, the smallest agent count for which ``problem.meets`` holds, and its
    measures.

    For Erlang C, square-root staffing guesses the answer; one evaluation of the guess and
    of one agent fewer settles most intervals outright (the guess meets, one fewer does
    not) and gives their measures. The rest are bracketed, using what the two evaluations
    showed, and bisected. Every decision is taken on the exact measures, so the guess
    changes only the speed, never the answer. Erlang A, for which there is no such
    guess, is bracketed upwards from a count that surely fails.
    """
    agents = np.zeros(problem.load.size, dtype=np.int64)
    index = np.flatnonzero(problem.load > 0)
    if problem.patience_seconds is None:
        guess = _square_root_guess(problem, index)
        pair_index = np.concatenate([index, index])
        pair_agents = np.concatenate([guess - 1, guess]).astype(np.float64)
        pair = problem.metrics(pair_index, pair_agents)
        ok = problem.met_by(pair_index, pair_agents, pair)
        fewer_ok, guess_ok = ok[: index.size], ok[index.size :]
    else:
        guess = _surely_failing(problem, index)
        pair = problem.metrics(index[:0], np.zeros(0))
        fewer_ok = guess_ok = np.zeros(index.size, dtype=bool)
    settled = guess_ok & ~fewer_ok
    agents[index[settled]] = guess[settled]
    rest = ~settled
    agents[index[rest]] = _bisect(problem, index[rest], guess[rest], fewer_ok[rest])
    # The guess's measures where it settled (rows of the pair's second half).
    return agents, _measures(
        problem, agents, pair, index[settled], fewer_ok.size + np.flatnonzero(settled)
    )


def _measures(
    problem: _Problem,
    agents: IntArray,
    known: QueueMetrics,
    known_at: NDArray[np.intp],
    known_rows: NDArray[np.intp],
) -> QueueMetrics:
    """The measures of ``agents`` for every interval: rows ``known_rows`` of ``known`` for
    the intervals ``known_at``, computed afresh for the others."""
    others = np.ones(agents.size, dtype=bool)
    others[known_at] = False
    fresh = problem.metrics(np.flatnonzero(others), agents[others].astype(np.float64))

    def merged(of_known: FloatArray, of_fresh: FloatArray) -> FloatArray:
        out = np.empty(agents.size)
        out[known_at] = of_known[known_rows]
        out[others] = of_fresh
        return out

    return QueueMetrics(
        p_wait=merged(known.p_wait, fresh.p_wait),
        service_level=merged(known.service_level, fresh.service_level),
        asa_seconds=merged(known.asa_seconds, fresh.asa_seconds),
        occupancy=merged(known.occupancy, fresh.occupancy),
        p_abandon=(
            None
            if known.p_abandon is None or fresh.p_abandon is None
            else merged(known.p_abandon, fresh.p_abandon)
        ),
    )


def _square_root_guess(problem: _Problem, index: NDArray[np.intp]) -> IntArray:
    """About the fewest agents meeting the service level: a + beta sqrt(a), more than a.

    beta solves the Halfin-Whitt approximation of Erlang C's service level,
    1 - P(wait) e^(-beta sqrt(a) t / AHT) = target with P(wait) = 1 / (1 + beta Phi / phi),
    by a few Newton steps on its logarithm (increasing and convex in beta). Only a
    starting point: the search checks it with the exact measures.
    """
    load = problem.load[index]
    root = np.sqrt(load)
    slope = root * problem.answer_seconds[index] / problem.aht_seconds[index]
    log_miss = np.log1p(-problem.service_level_target[index])
    beta = np.full(index.size, 0.5)
    for _ in range(_NEWTON_STEPS):
        phi = np.exp(-0.5 * beta * beta) * _INV_SQRT_2PI
        mills = np.asarray(special.ndtr(beta), dtype=np.float64) / phi
        odds = 1.0 + beta * mills
        excess = np.log(odds) + beta * slope + log_miss
        gradient = (mills + beta * (1.0 + beta * mills)) / odds + slope
        beta = np.clip(beta - excess / gradient, 0.0, _MAX_BETA)
    # Halfin-Whitt runs a little low for small loads; a fifth of an agent more evens it out.
    guess = np.ceil(load + beta * root + _GUESS_NUDGE)
    # Erlang C needs more agents than Erlangs (so at least one), and load / max occupancy.
    floor = np.maximum(np.floor(load) + 1.0, np.ceil(load / problem.max_occupancy[index]))
    guessed: IntArray = np.maximum(guess, floor).astype(np.int64)
    return guessed


def _bisect(
    problem: _Problem, index: NDArray[np.intp], guess: IntArray, fewer_ok: NDArray[np.bool_]
) -> IntArray:
    """The answer where the guess did not settle it: below the guess where ``guess - 1``
    meets every target, above it where the guess fails."""
    low, high = _bracket(problem, index, guess, fewer_ok)
    while np.any(open_ := high - low > 1):
        # Invariant: ``low`` fails and ``high`` meets; halve every open gap.
        mid = (low[open_] + high[open_]) // 2
        ok = problem.meets(index[open_], mid.astype(np.float64))
        high[open_] = np.where(ok, mid, high[open_])
        low[open_] = np.where(ok, low[open_], mid)
    return high


def _bracket(
    problem: _Problem, index: NDArray[np.intp], guess: IntArray, fewer_ok: NDArray[np.bool_]
) -> tuple[IntArray, IntArray]:
    """Agent counts that surely fail (``low``) and surely meet (``high``) per interval.

    Probes outwards from the guess by 1, 2, 4, ... agents (Erlang C) or by sqrt(load),
    twice that, ... (Erlang A): downwards from ``guess - 1``
    where that meets (never below a count that surely fails), upwards from the guess
    where it fails. The guess is seldom more than an agent off, so one probe usually does.
    """
    floor = _surely_failing(problem, index)
    down = fewer_ok
    low = np.where(down, floor, guess)  # fails
    high = np.where(down, guess - 1, guess)  # meets where down; set by the probes otherwise
    # Erlang C's guess is seldom an agent off; Erlang A starts far below its answer.
    first_step = np.sqrt(problem.load[index]) if problem.patience_seconds is not None else 1.0
    step = np.maximum(np.ceil(first_step), np.ones(index.size)).astype(np.int64)
    # Upwards no nearer than the load: below it Erlang C fails and Erlang A seldom meets.
    start = np.maximum(low, np.floor(problem.load[index]).astype(np.int64))
    probe = np.where(down, np.maximum(high - step, floor), start + step)
    pending = np.arange(index.size)
    for _ in range(_MAX_DOUBLINGS):
        if not pending.size:
            return low, high
        ok = problem.meets(index[pending], probe[pending].astype(np.float64))
        high[pending[ok]] = probe[pending[ok]]
        low[pending[~ok]] = probe[pending[~ok]]
        # Still open: going down and the probe met, or going up and the probe failed.
        pending = pending[np.where(down[pending], ok, ~ok)]
        step[pending] *= 2
        p_down = down[pending]
        probe[pending] = np.where(
            p_down,
            np.maximum(high[pending] - step[pending], floor[pending]),
            low[pending] + step[pending],
        )
    raise QueueingArgumentError("service_level_target", "cannot be met by any staffing")


def _surely_failing(problem: _Problem, index: NDArray[np.intp]) -> IntArray:
    """Agent counts below every target's floor (the search needs one failing start).

    Agents answer at most n of the a Erlangs offered, so the share answered — an upper
    bound on the service level and on 1 - abandonment — is at most n / a. The margin of
    2 keeps rounding in ``ceil`` from turning a bound into a count that might pass.
    """
    load = problem.load[index]
    floors = [
        np.ceil(load * problem.service_level_target[index]) - 2,
        np.ceil(load * (1.0 - problem.max_abandon_rate[index])) - 2,
    ]
    if problem.patience_seconds is None:
        # Erlang C: at most as many agents as Erlangs never empties the queue, and
        # occupancy is exactly load / agents.
        floors += [np.floor(load), np.ceil(load / problem.max_occupancy[index]) - 2]
    floor: FloatArray = np.max(floors, axis=0)
    return np.maximum(floor, 0.0).astype(np.int64)


def _validated(
    *,
    volume: ArrayLike,
    interval_seconds: ArrayLike,
    aht_seconds: ArrayLike,
    service_level_target: ArrayLike,
    target_answer_seconds: ArrayLike,
    patience_seconds: ArrayLike | None,
    max_occupancy: ArrayLike | None,
    shrinkage: ArrayLike,
    asa_target_seconds: ArrayLike | None,
    max_abandon_rate: ArrayLike | None,
) -> _Problem:
    if max_abandon_rate is not None and patience_seconds is None:
        raise QueueingArgumentError(
            "max_abandon_rate", "needs patience_seconds (Erlang C assumes nobody hangs up)"
        )
    checked = {
        "volume": check_non_negative("volume", volume),
        "interval_seconds": check_positive("interval_seconds", interval_seconds),
        "aht_seconds": check_positive("aht_seconds", aht_seconds),
        "service_level_target": check_fraction(
            "service_level_target", service_level_target, why_below_high=_UNREACHABLE_SERVICE
        ),
        "target_answer_seconds": check_non_negative("target_answer_seconds", target_answer_seconds),
        "patience_seconds": _optional("patience_seconds", patience_seconds, np.nan, check_positive),
        "max_occupancy": _optional("max_occupancy", max_occupancy, 1.0, check_share),
        "shrinkage": check_fraction("shrinkage", shrinkage),
        "asa_target_seconds": _optional(
            "asa_target_seconds", asa_target_seconds, np.inf, check_positive
        ),
        "max_abandon_rate": _optional("max_abandon_rate", max_abandon_rate, 1.0, check_share),
    }
    arrays = broadcast(**checked)
    flat = dict(zip(checked, (array.ravel() for array in arrays), strict=True))
    return _Problem(
        shape=arrays[0].shape,
        load=flat["volume"] * flat["aht_seconds"] / flat["interval_seconds"],
        aht_seconds=flat["aht_seconds"],
        answer_seconds=flat["target_answer_seconds"],
        service_level_target=flat["service_level_target"],
        patience_seconds=None if patience_seconds is None else flat["patience_seconds"],
        max_occupancy=flat["max_occupancy"],
        asa_target_seconds=flat["asa_target_seconds"],
        max_abandon_rate=flat["max_abandon_rate"],
        shrinkage=flat["shrinkage"],
    )


def _optional(
    argument: str,
    values: ArrayLike | None,
    absent: float,
    check: Callable[[str, ArrayLike], FloatArray],
) -> FloatArray:
    """A checked optional target, or a scalar that no measure can violate when absent."""
    if values is None:
        return np.asarray(absent, dtype=np.float64)
    return check(argument, values)


def _read_only(array: NDArray[Any], shape: tuple[int, ...]) -> NDArray[Any]:
    # Results live in a frozen dataclass; a writable array would make that a half-truth.
    shaped = np.array(array).reshape(shape)
    shaped.setflags(write=False)
    return shaped
