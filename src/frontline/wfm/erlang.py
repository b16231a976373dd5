"""Erlang B, C and A: the queueing formulas behind staffing, as a pure NumPy core.

Every function takes scalars or NumPy arrays (broadcast together), validates them up
front and returns read-only float arrays of the broadcast shape: a scalar in gives a 0-d
array out (``float(result)`` turns it back into a number). Nothing here reads a clock,
a database or settings. The formulas, the service-level variant and the sources are in
``docs/wfm-math.md``.

Numerics: everything is computed from two ratios of the birth-death chain's stationary
probabilities to pi_n (the probability of exactly n calls present), in log space, so
factorials never overflow — 50,000 Erlangs and 60,000 agents are ordinary inputs:

* ``R = sum_{k<n} pi_k / pi_n`` — the idle-agent side, shared by Erlang B, C and A;
* ``A = sum_{j>=0} pi_{n+j} / pi_n`` — the queue side of Erlang A (Mandelbaum & Zeltyn's
  ``A(x, y)``, whose limit as patience grows is Erlang C's ``1 / (1 - rho)``).

Both are a regularised incomplete gamma function divided by a Poisson-like weight; where
the incomplete gamma would underflow, or SciPy's value of it falls short (see
``_scipy_lower_tail_truncated``), the ratio is summed directly as a series instead. Up to
32 agents R is summed directly too: there its series is a finite sum of positive terms,
cheaper than the incomplete gamma function and at least as accurate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special  # type: ignore[import-untyped]  # SciPy ships no type hints

from frontline.wfm.errors import (
    FloatArray,
    broadcast,
    check_non_negative,
    check_positive,
    check_whole,
)

__all__ = ["QueueMetrics", "erlang_a", "erlang_b", "erlang_c", "offered_load_erlangs"]

_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)
# Below this an incomplete gamma value is too near underflow for its logarithm to be
# trusted; the ratio it feeds is then summed as a series, which converges fast there.
_TINY = 1e-250
_SERIES_TOLERANCE = 1e-17
# Up to this shape parameter SciPy's lower incomplete gamma is exact everywhere (checked
# against mpmath); past it, see _scipy_lower_tail_truncated.
_SCIPY_SERIES_TRUSTED_TO = 5e4
_SERIES_MAX_TERMS = 10_000_000
_SERIES_BLOCK = 256
# Up to this many agents R (see _log_idle_ratio) is summed directly, in as many vector
# steps: cheaper than an incomplete gamma function and the Poisson weight it is divided
# by, both costly at small arguments. From this load up, R's largest term n! / a^n stays
# far from overflowing.
_HORNER_MAX_AGENTS = 32
_HORNER_MIN_LOAD = 1e-6
# i = n_max - 1 down to 1, a column: the factors (n - i) / a from the innermost bracket out.
_HORNER_INDICES = np.arange(_HORNER_MAX_AGENTS - 1, 0, -1, dtype=np.float64)[:, None]
_BLOCK_OFFSETS = np.arange(_SERIES_BLOCK, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class QueueMetrics:
    """Steady-state measures of one queue per element, all arrays of the inputs' shape.

    ``p_wait``: probability a call waits at all (all agents busy on arrival).
    ``service_level``: share of all offered calls answered within the target answer time.
    ``asa_seconds``: mean wait of all offered calls (answered at once counts as 0; for
    Erlang A an abandoned call counts its time until it hung up); ``inf`` when unstable.
    ``occupancy``: share of staffed time spent handling calls.
    ``p_abandon``: share of calls that hang up before an answer (Erlang A only, else None).
    """

    p_wait: FloatArray
    service_level: FloatArray
    asa_seconds: FloatArray
    occupancy: FloatArray
    p_abandon: FloatArray | None = None


def offered_load_erlangs(
    volume: ArrayLike, interval_seconds: ArrayLike, aht_seconds: ArrayLike
) -> FloatArray:
    """Offered load A = volume x AHT / interval, in Erlangs (agents' worth of work).

    >>> float(offered_load_erlangs(100, 1800, 180))
    10.0
    """
    checked = _check_traffic(volume, interval_seconds, aht_seconds)
    return _read_only(_load(*checked))


def erlang_b(load_erlangs: ArrayLike, agents: ArrayLike) -> FloatArray:
    """Erlang B: probability an arrival finds all ``agents`` busy when there is no queue.

    >>> round(float(erlang_b(10, 14)), 6)
    0.056819
    >>> erlang_b([50_000, 50_000], [49_000, 50_500]).round(6)
    array([0.0209  , 0.000149])
    """
    load = check_non_negative("load_erlangs", load_erlangs)
    whole = check_whole("agents", agents)
    load, n = broadcast(load_erlangs=load, agents=whole.astype(np.float64))
    flat_load, flat_n = load.ravel(), n.ravel()
    log_r = np.full(flat_load.shape, np.inf)  # no traffic: nothing is ever blocked
    busy = flat_load > 0
    log_r[busy] = _log_idle_ratio(flat_n[busy], flat_load[busy])
    # B = pi_n / sum_{k<=n} pi_k = 1 / (1 + R); with no agents R = 0 and B = 1.
    blocking = special.expit(-np.where(flat_n == 0, -np.inf, log_r))
    return _read_only(np.asarray(blocking, dtype=np.float64).reshape(load.shape))


def erlang_c(
    volume: ArrayLike,
    interval_seconds: ArrayLike,
    aht_seconds: ArrayLike,
    agents: ArrayLike,
    target_answer_seconds: ArrayLike,
) -> QueueMetrics:
    """Erlang C (M/M/n, callers never hang up) for ``agents`` agents.

    Stable only with more agents than Erlangs; with ``agents <= load`` the queue grows
    without bound and the result is p_wait 1, service level 0, ASA inf, occupancy 1.
    No traffic gives p_wait 0, service level 1, ASA 0, occupancy 0.

    100 calls in 30 minutes at 180 s each is 10 Erlangs; 14 agents answer 88.8% in 20 s:

    >>> m = erlang_c(100, 1800, 180, agents=14, target_answer_seconds=20)
    >>> round(float(m.p_wait), 4), round(float(m.service_level), 4)
    (0.1741, 0.8884)
    >>> round(float(m.asa_seconds), 2), round(float(m.occupancy), 4)
    (7.84, 0.7143)
    >>> erlang_c(100, 1800, 180, [10, 11, 14], 20).service_level.round(4)
    array([0.    , 0.3896, 0.8884])
    """
    volume, interval, aht = _check_traffic(volume, interval_seconds, aht_seconds)
    n = check_whole("agents", agents).astype(np.float64)
    target = check_non_negative("target_answer_seconds", target_answer_seconds)
    arrays = broadcast(
        volume=volume, interval_seconds=interval, aht_seconds=aht, agents=n,
        target_answer_seconds=target,
    )  # fmt: skip
    shape = arrays[0].shape
    volume, interval, aht, n, target = (array.ravel() for array in arrays)
    return _reshaped(erlang_c_of_load(_load(volume, interval, aht), n, aht, target), shape)


def erlang_a(  # noqa: PLR0917 - erlang_c's arguments plus patience, for the CLI
    volume: ArrayLike,
    interval_seconds: ArrayLike,
    aht_seconds: ArrayLike,
    agents: ArrayLike,
    target_answer_seconds: ArrayLike,
    patience_seconds: ArrayLike,
) -> QueueMetrics:
    """Erlang A (M/M/n+M): callers hang up after an exponential patience of mean
    ``patience_seconds``. Always stable, so fewer agents than Erlangs are fine.

    ``service_level`` counts calls answered within the target among all offered calls
    (abandoned calls count as missed); ``asa_seconds`` is the mean wait of all offered
    calls, ``p_abandon x patience_seconds``. No agents: every call abandons.

    >>> m = erlang_a(100, 1800, 180, agents=14, target_answer_seconds=20,
    ...              patience_seconds=120)
    >>> round(float(m.p_wait), 4), round(float(m.p_abandon), 4)
    (0.127, 0.0228)
    >>> round(float(m.service_level), 4), round(float(m.asa_seconds), 2)
    (0.9327, 2.74)

    Eight agents for ten Erlangs: a quarter of the callers hang up, but the queue is finite.

    >>> m = erlang_a(100, 1800, 180, 8, 20, 120)
    >>> round(float(m.p_abandon), 3), round(float(m.occupancy), 3)
    (0.258, 0.928)
    """
    volume, interval, aht = _check_traffic(volume, interval_seconds, aht_seconds)
    n = check_whole("agents", agents).astype(np.float64)
    target = check_non_negative("target_answer_seconds", target_answer_seconds)
    patience = check_positive("patience_seconds", patience_seconds)
    arrays = broadcast(
        volume=volume, interval_seconds=interval, aht_seconds=aht, agents=n,
        target_answer_seconds=target, patience_seconds=patience,
    )  # fmt: skip
    shape = arrays[0].shape
    volume, interval, aht, n, target, patience = (array.ravel() for array in arrays)
    load = _load(volume, interval, aht)
    return _reshaped(erlang_a_of_load(load, n, aht, target, patience), shape)


def erlang_c_of_load(
    load: FloatArray,
    agents: FloatArray,
    aht_seconds: FloatArray,
    target_seconds: FloatArray,
    log_idle_ratio: FloatArray | None = None,
) -> QueueMetrics:
    """Erlang C on validated 1-d arrays of one length (the staffing search calls this).

    ``log_idle_ratio``, when given, is log R for each element (see the module docstring),
    already known to the caller; it is computed otherwise.
    """
    idle = load == 0
    stable = (agents > load) & ~idle
    if stable.all():  # every queue finite and busy: nothing to mask
        log_r = _log_idle_ratio(agents, load) if log_idle_ratio is None else log_idle_ratio
        idle_ratio = _idle_ratio(log_r)
        return QueueMetrics(
            *_stable_erlang_c(load, agents, aht_seconds, target_seconds, idle_ratio)
        )
    p_wait = np.where(idle, 0.0, 1.0)
    service_level = np.where(idle, 1.0, 0.0)
    asa = np.where(idle, 0.0, np.inf)
    occupancy = np.where(idle, 0.0, 1.0)
    a, n = load[stable], agents[stable]
    log_r = _log_idle_ratio(n, a) if log_idle_ratio is None else log_idle_ratio[stable]
    (
        p_wait[stable],
        service_level[stable],
        asa[stable],
        occupancy[stable],
    ) = _stable_erlang_c(a, n, aht_seconds[stable], target_seconds[stable], _idle_ratio(log_r))
    return QueueMetrics(p_wait, service_level, asa, occupancy)


def erlang_c_with_blocking_of_load(
    load: FloatArray, agents: FloatArray, aht_seconds: FloatArray, target_seconds: FloatArray
) -> tuple[QueueMetrics, FloatArray]:
    """Erlang C's measures and Erlang B, both exact, on validated 1-d arrays of one length
    (AHT and target may be 0-d, one value for all) with ``agents > load > 0`` (the
    staffing search's first evaluation).

    The measures are exactly :func:`erlang_c_of_load`'s; Erlang B is what
    :func:`erlang_b_step` walks on from.
    """
    idle_ratio = _idle_ratio(_log_idle_ratio(agents, load))
    measures = _stable_erlang_c(load, agents, aht_seconds, target_seconds, idle_ratio)
    return QueueMetrics(*measures), 1.0 / (1.0 + idle_ratio)  # B = 1 / (1 + R)


def erlang_b_step(
    load: FloatArray, agents: FloatArray, blocking: FloatArray, step: int
) -> FloatArray:
    """Erlang B for ``agents + step`` agents (``step`` 1 or -1), from ``blocking``, Erlang B
    for ``agents``; validated 1-d arrays of one length with ``load > 0``.

    Upwards this is Erlang B's recursion ``B(n+1) = a B(n) / (n + 1 + a B(n))``, plain
    arithmetic on numbers in [0, 1] that shrinks any relative error it is given.
    Downwards it runs as ``B(n-1) = n B(n) / (a (1 - B(n)))``, which at most doubles the
    error where the queue is stable (there B(n) < 1/2); callers take few such steps.
    """
    if step == 1:
        carried = load * blocking
        return np.asarray(carried / (agents + 1.0 + carried), dtype=np.float64)
    if step == -1:
        return np.asarray(agents * blocking / (load * (1.0 - blocking)), dtype=np.float64)
    raise ValueError(f"step must be 1 or -1, got {step}")


def erlang_c_of_blocking(
    load: FloatArray,
    agents: FloatArray,
    blocking: FloatArray,
    aht_seconds: FloatArray,
    target_seconds: FloatArray,
) -> QueueMetrics:
    """Erlang C's measures from Erlang B at the same count, ``agents > load > 0``, on
    validated 1-d arrays of one length (AHT and target may be 0-d, one value for all):
    C = B / (1 - rho (1 - B)), the rest as in
    :func:`erlang_c_of_load` (which they match to the accuracy of ``blocking``)."""
    spare = agents - load
    p_wait = agents * blocking / (spare + load * blocking)
    service_level = 1.0 - p_wait * np.exp(-spare * target_seconds / aht_seconds)
    return QueueMetrics(p_wait, service_level, p_wait * aht_seconds / spare, load / agents)


def _stable_erlang_c(
    a: FloatArray, n: FloatArray, aht: FloatArray, target: FloatArray, idle_ratio: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """P(wait), service level, ASA and occupancy where n > a > 0, given R (``_idle_ratio``)."""
    # C = B / (1 - rho (1 - B)) with B = 1 / (1 + R) simplifies to 1 / (1 + (1 - rho) R);
    # 1 - rho is taken as (n - a) / n, exact to an ulp however near a is to n.
    spare = n - a
    c = 1.0 / (1.0 + spare / n * idle_ratio)
    service_level = 1.0 - c * np.exp(-spare * target / aht)
    return c, service_level, c * aht / spare, a / n


def _idle_ratio(log_r: FloatArray) -> FloatArray:
    """R from log R: infinite where it passes a float's range (Erlang B and C are then 0,
    as they would round to anyway)."""
    with np.errstate(over="ignore"):
        return np.asarray(np.exp(log_r), dtype=np.float64)


def erlang_a_of_load(
    load: FloatArray,
    agents: FloatArray,
    aht_seconds: FloatArray,
    target_seconds: FloatArray,
    patience_seconds: FloatArray,
) -> QueueMetrics:
    """Erlang A on validated 1-d arrays of one length (the staffing search calls this)."""
    idle = load == 0
    staffed = (agents > 0) & ~idle
    p_wait = np.where(idle, 0.0, 1.0)
    p_abandon = p_wait.copy()
    service_level = 1.0 - p_wait
    occupancy = p_wait.copy()  # no agents: no idle capacity either
    a, n, patience = load[staffed], agents[staffed], patience_seconds[staffed]
    # In units of the mean patience: x = n mu / theta, y = lambda / theta.
    x, y = n * patience / aht_seconds[staffed], a * patience / aht_seconds[staffed]
    log_a, log_r = _log_queue_ratio(x, y), _log_idle_ratio(n, a)
    waits = np.asarray(special.expit(log_a - log_r), dtype=np.float64)  # A / (A + R)
    pi_n = np.exp(-np.logaddexp(log_a, log_r))
    # Flow balance: queued calls start service at rate n mu whenever more than n calls
    # are present, so the share served after waiting is (P(W>0) - pi_n) / rho.
    served_late = np.clip((waits - pi_n) * n / a, 0.0, waits)
    p_wait[staffed] = waits
    p_abandon[staffed] = waits - served_late
    decay = target_seconds[staffed] / patience  # theta t
    answered_by = 1.0 - waits + served_late * _answered_by_share(x, y, decay)
    # Clipped because rounding can land a hair outside [0, 1] at the ends of the range.
    service_level[staffed] = np.clip(answered_by, 0.0, 1.0)
    occupancy[staffed] = np.minimum(a * (1.0 - p_abandon[staffed]) / n, 1.0)
    # Little's law on the queue: E[queue] = lambda E[W] and abandonments theta E[queue].
    asa = p_abandon * patience_seconds
    return QueueMetrics(p_wait, service_level, asa, occupancy, p_abandon)


def _answered_by_share(x: FloatArray, y: FloatArray, decay: FloatArray) -> FloatArray:
    """P(wait <= t | served after waiting) = 1 - P(x+1, y e^-theta t) / P(x+1, y).

    P is the regularised lower incomplete gamma. With more load than agents (P(x+1, y)
    near 1) the share is small and is best taken from the upper tails Q = 1 - P, which
    keep their digits; otherwise the ratio goes through A(x+1, .) in log space
    (P(s, z) = A(s, z) z^s e^-z / Gamma(s+1)) so that it survives when both P underflow.
    """
    share = np.empty(x.shape)
    s, z, z_late = x + 1.0, y, y * np.exp(-decay)
    overloaded = np.asarray(special.gammainc(s, z), dtype=np.float64) >= 0.5
    s_o, z_o = s[overloaded], z[overloaded]
    tails = _upper_gamma(s_o, z_late[overloaded]) - _upper_gamma(s_o, z_o)
    share[overloaded] = np.clip(tails / special.gammainc(s_o, z_o), 0.0, 1.0)
    rest = ~overloaded
    s_r, z_r, d_r = s[rest], z[rest], decay[rest]
    log_late = (
        _log_queue_ratio(s_r, z_late[rest])
        - _log_queue_ratio(s_r, z_r)
        - s_r * d_r
        - z_r * np.expm1(-d_r)
    )
    share[rest] = -np.expm1(np.minimum(log_late, 0.0))
    return share


def _log_idle_ratio(agents: FloatArray, load: FloatArray) -> FloatArray:
    """log R, R = sum_{k<n} pi_k / pi_n = P(Poisson(a) <= n-1) / P(Poisson(a) = n); load > 0.

    R = 0 (log -inf) with no agents. Whole ``agents`` only (R's finite sum assumes it).
    """
    few = (agents <= _HORNER_MAX_AGENTS) & (load >= _HORNER_MIN_LOAD) & (agents > 0)
    if few.all():  # a day of small queues: no incomplete gamma at all
        return _log_idle_ratio_of_few(agents, load)
    if not few.any():
        return _log_idle_ratio_of_many(agents, load)
    out = np.empty(agents.shape)
    out[few] = _log_idle_ratio_of_few(agents[few], load[few])
    many = ~few
    out[many] = _log_idle_ratio_of_many(agents[many], load[many])
    return out


def _log_idle_ratio_of_few(agents: FloatArray, load: FloatArray) -> FloatArray:
    """log R for 1 to ``_HORNER_MAX_AGENTS`` agents, by R's finite sum.

    R = sum_{j=1..n} prod_{i<j} (n-i)/a = (n/a) (1 + ((n-1)/a) (1 + ((n-2)/a) (... (1 + 1/a))))
    by Horner's rule, from the innermost bracket out, all counts at once: a factor
    (n-i)/a for i >= n is 0 and starts that count's sum afresh at 1. Two brackets are
    taken per step, 1 + g (1 + f x) = (1 + g) + g f x, to halve the vector operations.
    Every term is positive, so the few ulps each step adds are all the error there is.
    """
    start = _HORNER_MAX_AGENTS - int(agents.max(initial=1.0))
    factors = np.maximum(agents - _HORNER_INDICES[start:], 0.0)
    factors *= 1.0 / load  # one division per count rather than per factor
    odd = len(factors) % 2
    total = 1.0 + factors[0] if odd else np.ones(agents.shape)
    inner, outer = factors[odd::2], factors[odd + 1 :: 2]
    products = inner * outer
    outer += 1.0
    for constant, product in zip(outer, products, strict=True):
        total *= product
        total += constant
    return np.asarray(np.log(agents / load * total), dtype=np.float64)


def _log_idle_ratio_of_many(agents: FloatArray, load: FloatArray) -> FloatArray:
    """log R through the incomplete gamma function, at any scale (see _log_idle_ratio)."""
    staffed = agents > 0
    cdf = np.asarray(special.gammaincc(np.where(staffed, agents, 1.0), load), dtype=np.float64)
    direct = staffed & (cdf > _TINY)
    if direct.all():  # the usual case (the staffing search's): no masks to apply
        return np.log(cdf) - _log_poisson_pmf(agents, load)
    out = np.full(agents.shape, -np.inf)
    out[direct] = np.log(cdf[direct]) - _log_poisson_pmf(agents[direct], load[direct])
    series = staffed & ~direct
    if np.any(series):
        # Far fewer agents than Erlangs: R = (n/a) (1 + (n-1)/a + (n-1)(n-2)/a^2 + ...).
        n, a = agents[series], load[series]
        out[series] = np.log(n / a) + _log_falling_series(
            lambda j: np.maximum(n[:, None] - j, 0.0) / a[:, None]
        )
    return out


def _log_queue_ratio(x: FloatArray, y: FloatArray) -> FloatArray:
    """log A(x, y), A = sum_j y^j / ((x+1)...(x+j)) = x e^y y^-x lower_gamma(x, y); x > 0."""
    out = np.zeros(x.shape)
    queued = y > 0
    cdf = np.asarray(special.gammainc(x, np.where(queued, y, 1.0)), dtype=np.float64)
    direct = queued & (cdf > _TINY) & ~_scipy_lower_tail_truncated(x, y)
    out[direct] = np.log(cdf[direct]) - _log_poisson_pmf(x[direct], y[direct])
    series = queued & ~direct
    if np.any(series):
        # More capacity than load (y < x): the terms fall at least as fast as y/x.
        xs, ys = x[series], y[series]
        out[series] = _log_falling_series(lambda j: ys[:, None] / (xs[:, None] + j))
    return out


def _scipy_lower_tail_truncated(x: FloatArray, y: FloatArray) -> NDArray[np.bool_]:
    """Where SciPy's P(x, y) is not to be trusted: x large and y well below it.

    There SciPy sums P's power series for at most 2,000 terms, too few once x passes
    about 10^5 (at x = 5.5e6, four standard deviations below the mean, it is 0.8% low);
    nearer the mean it switches to an asymptotic expansion that is exact.
    """
    return np.asarray((x > _SCIPY_SERIES_TRUSTED_TO) & (y < x - 4.0 * np.sqrt(x)))


def _upper_gamma(s: FloatArray, z: FloatArray) -> FloatArray:
    """Regularised upper incomplete gamma Q(s, z), avoiding SciPy's truncated lower tail."""
    upper = np.asarray(special.gammaincc(s, z), dtype=np.float64)
    redo = (z > 0) & _scipy_lower_tail_truncated(s, z)
    if np.any(redo):
        # Q = 1 - P with P = A(s, z) z^s e^-z / Gamma(s+1), A from its own series.
        s_r, z_r = s[redo], z[redo]
        upper[redo] = -np.expm1(_log_queue_ratio(s_r, z_r) + _log_poisson_pmf(s_r, z_r))
    return upper


def _log_falling_series(ratio: Callable[[NDArray[np.float64]], FloatArray]) -> FloatArray:
    """log(1 + r1 + r1 r2 + r1 r2 r3 + ...) per row, for ratios r_j that fall with j, r1 < 1.

    ``ratio(j)`` maps a row of indices j to a (rows, len(j)) array. Terms are summed a
    block of indices at a time (a Python loop per term would dominate near r = 1) until
    the rest is provably negligible: with falling ratios the tail after a term t is at
    most t r / (1 - r), r being the next ratio.
    """
    last_term = np.ones(ratio(np.ones(1)).shape[0])
    total = last_term.copy()
    for start in range(1, _SERIES_MAX_TERMS, _SERIES_BLOCK):
        terms = last_term[:, None] * np.cumprod(ratio(start + _BLOCK_OFFSETS), axis=1)
        total += terms.sum(axis=1)
        last_term = terms[:, -1]
        following = ratio(np.array([start + _SERIES_BLOCK], dtype=np.float64))[:, 0]
        tail = last_term * following / np.maximum(1.0 - following, np.finfo(float).tiny)
        if np.all(tail <= _SERIES_TOLERANCE * total):
            return np.asarray(np.log(total), dtype=np.float64)
    raise ArithmeticError("queueing series did not converge")  # unreachable where used


def _log_poisson_pmf(k: FloatArray, mean: FloatArray) -> FloatArray:
    """log(mean^k e^-mean / Gamma(k+1)) for real k > 0 and mean > 0 (Loader's method).

    The naive ``k log mean - mean - lgamma(k+1)`` subtracts numbers near k log k and loses
    about 1e-16 k log k to rounding; splitting it into the deviance
    ``k log(k/mean) + mean - k`` and Stirling's error keeps it to a few ulps even at a
    million Erlangs. Near k = mean the deviance is taken through log1p for the same reason.
    """
    near = np.abs(k - mean) < 0.1 * (k + mean)
    # Each branch is computed only where it applies (usually most elements take one).
    deviance = np.empty(k.shape)
    every_near = near.all()
    if every_near or near.any():
        k_near, mean_near = (k, mean) if every_near else (k[near], mean[near])
        w = (k_near - mean_near) / mean_near
        deviance[near] = mean_near * (special.xlog1py(1.0 + w, w) - w)
    if not every_near:
        far = ~near
        k_far, mean_far = k[far], mean[far]
        with np.errstate(over="ignore", under="ignore"):
            # May overflow or underflow for absurdly small loads; then the logarithms
            # are taken apart.
            ratio = k_far / mean_far
        exact = (ratio > 0) & np.isfinite(ratio)
        log_ratio = (
            np.log(ratio)
            if exact.all()
            else np.where(
                exact, np.log(np.where(exact, ratio, 1.0)), np.log(k_far) - np.log(mean_far)
            )
        )
        deviance[far] = k_far * log_ratio + mean_far - k_far
    return np.asarray(
        -_HALF_LOG_2PI - 0.5 * np.log(k) - _stirling_error(k) - deviance, dtype=np.float64
    )


def _stirling_error(k: FloatArray) -> FloatArray:
    """log Gamma(k+1) - log(sqrt(2 pi k) (k/e)^k) for k > 0."""
    # Past 15 the asymptotic series is exact to double precision with five terms and,
    # unlike the direct difference of two large logarithms, loses nothing to rounding.
    inv = 1.0 / np.maximum(k, 15.0)
    inv2 = inv * inv
    error = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))))
    small = k < 15.0
    if small.any():
        k_small = k[small]
        error[small] = (
            special.gammaln(k_small + 1.0)
            - (k_small + 0.5) * np.log(k_small)
            + k_small
            - _HALF_LOG_2PI
        )
    return error


def _check_traffic(
    volume: ArrayLike, interval_seconds: ArrayLike, aht_seconds: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    return (
        check_non_negative("volume", volume),
        check_positive("interval_seconds", interval_seconds),
        check_positive("aht_seconds", aht_seconds),
    )


def _load(volume: FloatArray, interval: FloatArray, aht: FloatArray) -> FloatArray:
    load: FloatArray = volume * aht / interval
    return load


def _reshaped(metrics: QueueMetrics, shape: tuple[int, ...]) -> QueueMetrics:
    def shaped(array: FloatArray) -> FloatArray:
        return _read_only(array.reshape(shape))

    abandon = metrics.p_abandon
    return QueueMetrics(
        p_wait=shaped(metrics.p_wait),
        service_level=shaped(metrics.service_level),
        asa_seconds=shaped(metrics.asa_seconds),
        occupancy=shaped(metrics.occupancy),
        p_abandon=None if abandon is None else shaped(abandon),
    )


def _read_only(array: FloatArray) -> FloatArray:
    # Results live in frozen dataclasses; a writable array would make that a half-truth.
    array = np.array(array, dtype=np.float64)
    array.setflags(write=False)
    return array
