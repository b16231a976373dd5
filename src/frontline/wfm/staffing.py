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

import math
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special  # type: ignore[import-untyped]  # SciPy ships no type hints

from frontline.wfm.erlang import (
    QueueMetrics,
    erlang_a_of_load,
    erlang_b_step,
    erlang_c_of_blocking,
    erlang_c_of_load,
    erlang_c_with_blocking_of_load,
)
from frontline.wfm.errors import (
    FloatArray,
    QueueingArgumentError,
    broadcast_shape,
    check_fraction,
    check_non_negative,
    check_positive,
    check_share,
)

__all__ = ["StaffingResult", "required_agents"]

IntArray = NDArray[np.int64]
# Which intervals of a problem an operation is about: their positions, or a slice of all.
_Rows = NDArray[np.intp] | slice
_EVERY: slice = slice(None)

# Doubling the staffing margin 60 times passes any load a float can hold; running out
# means a target no staffing reaches, which validation should already have refused.
_MAX_DOUBLINGS = 60
# Square-root staffing's beta: a few Newton steps put the guess within an agent or so, and
# past 20 standard deviations no service-level target below 1 is left unmet.
_NEWTON_STEPS = 2
_BETA_START = 0.5
# Coefficients of the guess's correction: 1, 1/sqrt(a), beta, beta^2, beta/sqrt(a).
_FIT = (-0.02572, 0.07187, 0.186, 0.12117, -0.06145)
_MAX_BETA = 20.0
_ROOT_HALF_PI, _INV_ROOT_2 = np.sqrt(0.5 * np.pi), np.sqrt(0.5)
# The first Newton step starts from the same beta everywhere, where the Mills ratio
# Phi / phi (see _square_root_guess) and what follows from it are constants: only the
# later steps pay for them.
_MILLS_START = float(_ROOT_HALF_PI * special.erfcx(-_INV_ROOT_2 * _BETA_START))
_ODDS_START = 1.0 + _BETA_START * _MILLS_START
_LOG_ODDS_START = float(np.log(_ODDS_START))
_SLOPE_FREE_GRADIENT_START = _MILLS_START / _ODDS_START + _BETA_START
# Counts walked from the guess by Erlang B's recursion before the rest are bisected: the
# guess is seldom more than an agent off, and the downward recursion can double its
# error with each step (see erlang_b_step), so the walk stays short.
_WALK_STEPS = 4
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
    """Validated inputs flattened to 1-d arrays of one length, or kept as 0-d arrays where
    the caller gave one value for every interval (``_at`` picks either); ``load`` is
    always 1-d."""

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
    # Whether the caller capped occupancy or ASA at all: without a cap neither can fail
    # (occupancy never passes 1, nor a stable queue's ASA infinity), so met_by skips it.
    caps_occupancy: bool
    caps_asa: bool

    def metrics(self, index: _Rows, agents: FloatArray) -> QueueMetrics:
        # The Erlang functions mask their arguments, so one value is spread to each count.
        aht, answer = (
            np.broadcast_to(_at(values, index), agents.shape)
            for values in (self.aht_seconds, self.answer_seconds)
        )
        load = self.load[index]
        if self.patience_seconds is None:
            return erlang_c_of_load(load, agents, aht, answer)
        patience = np.broadcast_to(_at(self.patience_seconds, index), agents.shape)
        return erlang_a_of_load(load, agents, aht, answer, patience)

    def subset(self, index: NDArray[np.intp]) -> _Problem:
        """The intervals at ``index`` (this problem itself when that is all of them)."""
        if index.size == self.load.size:
            return self
        changes: dict[str, Any] = {
            field.name: value[index]
            for field in fields(self)
            if isinstance(value := getattr(self, field.name), np.ndarray) and value.ndim
        }
        return replace(self, **changes)

    def meets(self, index: _Rows, agents: FloatArray) -> NDArray[np.bool_]:
        """Whether ``agents`` meet every target of the intervals at ``index``."""
        return self.met_by(index, agents, self.metrics(index, agents))

    def met_by(self, index: _Rows, agents: NDArray[Any], m: QueueMetrics) -> NDArray[np.bool_]:
        """Whether ``m``, the measures of ``agents`` agents, meet the targets at ``index``."""
        ok = (agents >= 1) & (m.service_level >= _at(self.service_level_target, index))
        if self.caps_occupancy:
            ok &= m.occupancy <= _at(self.max_occupancy, index)
        if self.caps_asa:
            ok &= m.asa_seconds <= _at(self.asa_target_seconds, index)
        if m.p_abandon is None:
            return ok & (agents > self.load[index])  # Erlang C: a finite queue at all
        return ok & (m.p_abandon <= _at(self.max_abandon_rate, index))


def _at(values: FloatArray, index: _Rows) -> FloatArray:
    """``values`` at ``index``: a 0-d array (one value for every interval) as it is."""
    return values if not values.ndim else values[index]


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
    scheduled = agents
    if problem.shrinkage.any():  # usually none: staffing is for the phones
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

    For Erlang C, square-root staffing with a fitted correction guesses the answer
    exactly for about 98 intervals in 100 and within an agent for nearly all the rest.
    The guess is evaluated exactly — one incomplete gamma function per interval, or for
    up to 32 agents R's finite sum — and from there Erlang B's recursion walks a count at
    a time, down while the count still meets every target and up while it fails: plain
    arithmetic, the first step on every interval at once (it settles nearly all), later
    ones on the few still walking. Where the answer is the guess itself its exact
    measures are reported; elsewhere they are computed afresh. The few intervals the
    walk leaves open are bracketed and bisected on exact evaluations. The guess and the
    walk change only the speed, never the answer: every decision is taken on measures
    exact to an ulp or two. Erlang A, for which there is no such guess, is bracketed
    upwards from a count that surely fails.
    """
    agents = np.zeros(problem.load.size, dtype=np.int64)
    busy_at = np.flatnonzero(problem.load > 0)
    busy = problem.subset(busy_at)  # every interval, usually: nothing is copied then
    floor = _surely_failing(busy)
    if problem.patience_seconds is None:
        guess = _square_root_guess(busy)
        anchored, blocking = erlang_c_with_blocking_of_load(
            busy.load, guess.astype(np.float64), busy.aht_seconds, busy.answer_seconds
        )
        fewer_ok = busy.met_by(_EVERY, guess, anchored)  # the guess meets: walk down
        found = guess.copy()
        open_ = _walk(busy, found, blocking, fewer_ok, floor)
        exact = ~open_ & (found == guess)
        known_rows = np.flatnonzero(exact)
    else:
        found = floor.copy()
        anchored = problem.metrics(busy_at[:0], np.zeros(0))
        fewer_ok = exact = np.zeros(busy_at.size, dtype=bool)
        open_ = ~exact
        known_rows = np.zeros(0, dtype=np.intp)
    rest = np.flatnonzero(open_)
    if rest.size:  # usually the walk settled every interval
        # _bisect starts from a count that fails, or one above a count that meets.
        start = np.where(fewer_ok[rest], found[rest] + 1, found[rest])
        found[rest] = _bisect(busy, rest, start, fewer_ok[rest], floor[rest])
    agents[busy_at] = found
    return agents, _measures(problem, agents, anchored, busy_at[exact], known_rows)


def _walk(
    busy: _Problem,
    found: IntArray,
    blocking: FloatArray,
    down: NDArray[np.bool_],
    floor: IntArray,
) -> NDArray[np.bool_]:
    """From exactly evaluated counts ``found`` with Erlang B ``blocking``, one agent at a
    time by Erlang B's recursion: down from counts that meet every target (``down``)
    while the next still meets, up from counts that fail until one meets.

    ``found`` ends as the answer where the walk settled it — the last count that met
    going down, the first going up — and otherwise as the last count seen, which meets
    (down) or fails (up). Returns where the walk gave up before settling. The first
    step takes every interval at once; later ones only the few still walking.
    """
    rows: _Rows = _EVERY
    n, step = found, np.where(down, -1, 1)
    for _ in range(_WALK_STEPS):
        load, counts = busy.load[rows], n.astype(np.float64)
        blocking = np.where(
            down,
            erlang_b_step(load, counts, blocking, -1),
            erlang_b_step(load, counts, blocking, 1),
        )
        n = n + step
        # Counts at or below the floor surely fail, and their queues may be unstable.
        with np.errstate(divide="ignore", invalid="ignore"):
            m = erlang_c_of_blocking(
                load, n.astype(np.float64), blocking, _at(busy.aht_seconds, rows),
                _at(busy.answer_seconds, rows),
            )  # fmt: skip
        ok = busy.met_by(rows, n, m) & (n > floor[rows])
        # Going down a count that meets is kept; going up every count seen is.
        walking = np.where(down, ok, ~ok)
        found[rows] = np.where(walking | ~down, n, found[rows])
        rows = np.flatnonzero(walking) if isinstance(rows, slice) else rows[walking]
        if not rows.size:
            break
        n, step, blocking, down = n[walking], step[walking], blocking[walking], down[walking]
    still = np.zeros(found.size, dtype=bool)
    still[rows] = True
    return still


def _measures(
    problem: _Problem,
    agents: IntArray,
    known: QueueMetrics,
    known_at: NDArray[np.intp],
    known_rows: NDArray[np.intp],
) -> QueueMetrics:
    """The measures of ``agents`` for every interval: rows ``known_rows`` of ``known`` for
    the intervals ``known_at``, computed afresh for the others. ``known``'s arrays may be
    written over."""
    others = np.ones(agents.size, dtype=bool)
    others[known_at] = False
    fresh_at = np.flatnonzero(others)
    # Usually every interval settled at once and there is nothing to compute afresh.
    fresh = (
        problem.metrics(fresh_at, agents[fresh_at].astype(np.float64)) if fresh_at.size else known
    )

    # Known for every interval (the usual Erlang C search, every interval busy): the
    # search's own arrays, fresh values written over the rows not known.
    in_place = known.p_wait.size == agents.size

    def merged(of_known: FloatArray, of_fresh: FloatArray) -> FloatArray:
        out = of_known if in_place else np.empty(agents.size)
        if not in_place:
            out[known_at] = of_known[known_rows]
        if fresh_at.size:
            out[fresh_at] = of_fresh
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


def _square_root_guess(problem: _Problem) -> IntArray:
    """About the fewest agents meeting the service level: a + beta sqrt(a), more than a.

    beta solves the Halfin-Whitt approximation of Erlang C's service level,
    1 - P(wait) e^(-beta sqrt(a) t / AHT) = target with P(wait) = 1 / (1 + beta Phi / phi),
    by a few Newton steps on its logarithm (increasing and convex in beta). Only a
    starting point: the search checks it with the exact measures.
    """
    load = problem.load
    root = np.sqrt(load)
    slope = root * problem.answer_seconds / problem.aht_seconds
    log_miss = np.log1p(-problem.service_level_target)
    # d/d beta log(1 + beta M) = (M + beta (1 + beta M)) / (1 + beta M) = M / odds + beta,
    # as the Mills ratio M = Phi / phi has M' = 1 + beta M.
    excess = _LOG_ODDS_START + _BETA_START * slope + log_miss
    beta = _BETA_START - excess / (_SLOPE_FREE_GRADIENT_START + slope)
    for _ in range(_NEWTON_STEPS - 1):
        beta = np.minimum(np.maximum(beta, 0.0), _MAX_BETA)
        # Phi(beta) / phi(beta) = sqrt(pi / 2) erfcx(-beta / sqrt(2)), in one call.
        mills = _ROOT_HALF_PI * np.asarray(special.erfcx(-_INV_ROOT_2 * beta), dtype=np.float64)
        odds = 1.0 + beta * mills
        excess = np.log(odds) + beta * slope + log_miss
        beta = beta - excess / (mills / odds + beta + slope)
    beta = np.minimum(np.maximum(beta, 0.0), _MAX_BETA)
    # Halfin-Whitt runs a little low, more so for small loads and high targets; the
    # correction is a least-squares fit of the excess of the exact real-valued staffing
    # (Erlang C with n real, SL = target) over a + beta sqrt(a), for 60,000 random queues
    # of 0.01 to 20,000 Erlangs, targets 50-99% in 0-120 s and 80/20 at 180-400 s AHT.
    # Loads below the fitted 0.01 Erlangs are treated as 0.01 (1 / sqrt(a) would explode).
    inv_root = 1.0 / np.maximum(root, 0.1)
    correction = (
        _FIT[0] + _FIT[1] * inv_root + beta * (_FIT[2] + _FIT[3] * beta + _FIT[4] * inv_root)
    )
    guess = np.ceil(load + beta * root + correction)
    # Erlang C needs more agents than Erlangs (so at least one), and load / max occupancy.
    floor = np.maximum(np.floor(load) + 1.0, np.ceil(load / problem.max_occupancy))
    guessed: IntArray = np.maximum(guess, floor).astype(np.int64)
    return guessed


def _bisect(
    problem: _Problem,
    index: NDArray[np.intp],
    guess: IntArray,
    fewer_ok: NDArray[np.bool_],
    floor: IntArray,
) -> IntArray:
    """The answer where the walk did not settle it: below ``guess`` where ``guess - 1``
    meets every target, above it where ``guess`` fails. ``floor``: counts that surely
    fail (``_surely_failing``)."""
    low, high = _bracket(problem, index, guess, fewer_ok, floor)
    while np.any(open_ := high - low > 1):
        # Invariant: ``low`` fails and ``high`` meets; halve every open gap.
        mid = (low[open_] + high[open_]) // 2
        ok = problem.meets(index[open_], mid.astype(np.float64))
        high[open_] = np.where(ok, mid, high[open_])
        low[open_] = np.where(ok, low[open_], mid)
    return high


def _bracket(
    problem: _Problem,
    index: NDArray[np.intp],
    guess: IntArray,
    fewer_ok: NDArray[np.bool_],
    floor: IntArray,
) -> tuple[IntArray, IntArray]:
    """Agent counts that surely fail (``low``) and surely meet (``high``) per interval.

    Probes outwards from the guess by 1, 2, 4, ... agents (Erlang C) or by sqrt(load),
    twice that, ... (Erlang A): downwards from ``guess - 1``
    where that meets (never below a count that surely fails), upwards from the guess
    where it fails. The guess is seldom more than an agent off, so one probe usually does.
    """
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


def _surely_failing(problem: _Problem) -> IntArray:
    """Agent counts below every target's floor (the search needs one failing start).

    Agents answer at most n of the a Erlangs offered, so the share answered — an upper
    bound on the service level and on 1 - abandonment — is at most n / a. The margin of
    2 keeps rounding in ``ceil`` from turning a bound into a count that might pass.
    """
    load = problem.load
    answered = load * np.maximum(problem.service_level_target, 1.0 - problem.max_abandon_rate)
    floor = np.ceil(answered) - 2
    if problem.patience_seconds is None:
        # Erlang C: at most as many agents as Erlangs never empties the queue, and
        # occupancy is exactly load / agents.
        floor = np.maximum(floor, np.floor(load))
        floor = np.maximum(floor, np.ceil(load / problem.max_occupancy) - 2)
    counts: IntArray = np.maximum(floor, 0.0).astype(np.int64)
    return counts


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
    shape = broadcast_shape(**checked)
    # One value for every interval stays a 0-d array: cheaper to check against than a
    # filled array, and nothing to copy.
    flat = {
        name: array if not array.ndim else np.broadcast_to(array, shape).ravel()
        for name, array in checked.items()
    }
    load = flat["volume"] * flat["aht_seconds"] / flat["interval_seconds"]
    return _Problem(
        shape=shape,
        load=np.full(math.prod(shape), load) if not load.ndim else load,
        aht_seconds=flat["aht_seconds"],
        answer_seconds=flat["target_answer_seconds"],
        service_level_target=flat["service_level_target"],
        patience_seconds=None if patience_seconds is None else flat["patience_seconds"],
        max_occupancy=flat["max_occupancy"],
        asa_target_seconds=flat["asa_target_seconds"],
        max_abandon_rate=flat["max_abandon_rate"],
        shrinkage=flat["shrinkage"],
        caps_occupancy=max_occupancy is not None,
        caps_asa=asa_target_seconds is not None,
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
