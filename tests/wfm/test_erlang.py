"""Erlang B, C and A pinned by published numbers, independent computations and properties.

Three kinds of evidence (STYLE.md point 10):

* published figures, each with its source in a comment;
* independent implementations written here from the textbook definitions — an exact
  rational direct sum for Erlang C, the classic float recursion for Erlang B, and the
  birth-death chain of M/M/n+M solved numerically for Erlang A;
* Hypothesis properties: adding agents or taking load away never hurts, probabilities stay
  in [0, 1], more patient callers abandon less, Erlang A waits no longer than Erlang C and
  becomes Erlang C as patience grows.

``test_erlang_simulation.py`` adds a fourth: a discrete-event simulation of Erlang A's queue.
"""

from __future__ import annotations

import doctest
import math
from collections.abc import Callable
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy.linalg import expm  # type: ignore[import-untyped]  # SciPy ships no type hints

import frontline.wfm.erlang
from frontline.wfm import QueueingArgumentError, erlang_a, erlang_b, erlang_c, offered_load_erlangs

DOCS = Path(__file__).resolve().parents[2] / "docs" / "wfm-math.md"

# Hypothesis runs on a shared two-core machine: no deadline, a modest number of cases.
properties = settings(deadline=None, max_examples=60)
loads = st.floats(min_value=0.05, max_value=2_000.0)
aht_values = st.floats(min_value=10.0, max_value=900.0)
answer_times = st.floats(min_value=0.0, max_value=120.0)
patiences = st.floats(min_value=1.0, max_value=3_600.0)


def test_docstring_examples_run() -> None:
    # pytest collects doctests only under testpaths (tests/), so run the module's here.
    result = doctest.testmod(frontline.wfm.erlang, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_wfm_math_doc_examples_run() -> None:
    result = doctest.testfile(str(DOCS), module_relative=False)
    assert result.attempted > 0
    assert result.failed == 0


# --- published figures ------------------------------------------------------------------


def test_classic_80_20_example_matches_pyworkforce_and_r_erlangc() -> None:
    # pyworkforce README (pypi.org/project/pyworkforce/0.2.1): transactions=100, aht=3 min,
    # interval=30 min, asa=20 s, 14 positions -> service_level 0.8883500191794669,
    # occupancy 0.7142857142857143, waiting_probability 0.1741319335950498.
    # CRAN ErlangC 0.1.0 README (rdocumentation.org/packages/ErlangC/versions/0.1.0), same
    # inputs: average_speed_of_answer 7.83593701177724 s; with 11 agents
    # wait_probability 0.6821182.
    m = erlang_c(100, 1800, 180, [14, 11], 20)
    assert m.p_wait[0] == pytest.approx(0.1741319335950498, rel=1e-12)
    assert m.service_level[0] == pytest.approx(0.8883500191794669, rel=1e-12)
    assert m.occupancy[0] == pytest.approx(0.7142857142857143, rel=1e-12)
    assert m.asa_seconds[0] == pytest.approx(7.83593701177724, rel=1e-12)
    assert m.p_wait[1] == pytest.approx(0.6821182, abs=5e-8)


def test_erlang_c_formula_worked_example() -> None:
    # The step-by-step "Erlang-C formula" worked example (360 calls per half hour, 4-minute
    # calls, 55 agents, 15 s target), as reproduced in the Maxima erlang.mac article:
    # E_c = 0.2387, T_w = 8.184 s, P(wait <= 15 s) = 0.8459.
    m = erlang_c(360, 1800, 240, 55, 15)
    assert round(float(m.p_wait), 4) == 0.2387
    assert round(float(m.asa_seconds), 3) == 8.184
    assert round(float(m.service_level), 4) == 0.8459


def test_erlang_b_calculator_examples() -> None:
    # Westbay Engineers' Erlang B calculator manual, "How much traffic can a trunk group
    # handle?" (erlang.com/calculatormanual/howmuchtrafficcanatrunkgrouphandle.htm): 15 lines
    # at 1% blocking carry at most 8.108 Erlangs (8.109 would block more than 1%).
    assert round(float(erlang_b(8.108, 15)), 4) == 0.0100
    assert float(erlang_b(8.108, 15)) <= 0.01 < float(erlang_b(8.109, 15))
    # Their forum answer "Trunk Engineering" (erlang.com, 5 December 2001): 1,200 calls an
    # hour of 100 s each (33.333 Erlangs) need 45 lines to block at most 1 call in 100.
    blocking = erlang_b(1200 / 36, [44, 45])
    assert blocking[0] > 0.01 >= blocking[1]


# --- Erlang C against an exact rational direct sum --------------------------------------


def exact_erlang_c(load: Fraction, agents: int, answer_over_aht: Fraction) -> tuple[float, ...]:
    """P(wait), SL and ASA/AHT from the textbook formula, in exact rationals and Decimal.

    C = (A^n/n! * n/(n-A)) / (sum_{k<n} A^k/k! + A^n/n! * n/(n-A)); SL = 1 - C e^{-(n-A)t/h}.
    """
    terms = [Fraction(1)]
    for k in range(1, agents + 1):
        terms.append(terms[-1] * load / k)
    top = terms[-1] * agents / (agents - load)
    c = top / (sum(terms[:-1]) + top)
    with localcontext() as context:
        context.prec = 50
        exponent = Decimal((agents - load).numerator) * Decimal(answer_over_aht.numerator)
        exponent /= Decimal((agents - load).denominator) * Decimal(answer_over_aht.denominator)
        c_decimal = Decimal(c.numerator) / Decimal(c.denominator)
        service_level = 1 - c_decimal * (-exponent).exp()
    return float(c), float(service_level), float(c / (agents - load))


@pytest.mark.parametrize(
    ("volume", "interval_seconds", "aht_seconds", "target_seconds"),
    [(100, 1800, 180, 20), (360, 1800, 240, 15), (7, 900, 300, 30), (1234, 1800, 317, 10)],
)
def test_erlang_c_matches_exact_direct_sum(
    volume: int, interval_seconds: int, aht_seconds: int, target_seconds: int
) -> None:
    load = Fraction(volume * aht_seconds, interval_seconds)
    agents = np.arange(math.floor(load) + 1, math.floor(load) + 25)
    m = erlang_c(volume, interval_seconds, aht_seconds, agents, target_seconds)
    for i, n in enumerate(agents):
        p_wait, service_level, asa_over_aht = exact_erlang_c(
            load, int(n), Fraction(target_seconds, aht_seconds)
        )
        assert m.p_wait[i] == pytest.approx(p_wait, rel=1e-12)
        assert m.service_level[i] == pytest.approx(service_level, rel=1e-12)
        assert m.asa_seconds[i] == pytest.approx(asa_over_aht * aht_seconds, rel=1e-12)


# --- Erlang B against the classic recursion, up to 50,000 Erlangs -----------------------


def erlang_b_recursion(load: float, agents: int) -> float:
    """B(k) = A B(k-1) / (k + A B(k-1)): the textbook recursion, stable but O(n)."""
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


@pytest.mark.parametrize(
    ("load", "agents"),
    [
        (10.0, 14),
        (0.001, 3),
        (2.5, 0),
        (50_000.0, 10),
        (50_000.0, 30_000),
        (50_000.0, 45_000),
        (50_000.0, 50_000),
        (50_000.0, 50_300),
        (50_000.0, 52_000),
    ],
)
def test_erlang_b_matches_recursion_at_any_scale(load: float, agents: int) -> None:
    assert float(erlang_b(load, agents)) == pytest.approx(
        erlang_b_recursion(load, agents), rel=1e-11
    )


def test_erlang_b_and_c_are_the_same_alone_and_in_a_batch() -> None:
    # The staffing search reports measures it computed for a few intervals next to ones
    # computed for all of them, and promises erlang_c's values: no element may depend on
    # what else is in its batch (few agents by the finite sum, many by the gamma route).
    rng = np.random.default_rng(11)
    load = rng.uniform(0.01, 80.0, 300)
    agents = np.floor(load) + rng.integers(1, 40, 300)
    together_b = erlang_b(load, agents)
    together_c = erlang_c(load, 1, 1, agents, 0.2).service_level  # volume = load per AHT
    for i in range(load.size):
        assert float(erlang_b(load[i], agents[i])) == together_b[i]
        assert float(erlang_c(load[i], 1, 1, agents[i], 0.2).service_level) == together_c[i]


# --- Erlang A against the M/M/n+M birth-death chain --------------------------------------


def chain_stationary(
    load: float, agents: int, aht: float, patience: float, queue_cap: int
) -> NDArray[np.float64]:
    """Stationary probabilities of 0 .. agents + queue_cap calls present in M/M/n+M.

    From the birth-death balance pi_k death_k = pi_{k-1} lambda, summed in log space.
    """
    mu, theta = 1.0 / aht, 1.0 / patience
    k = np.arange(1, agents + queue_cap)
    deaths = np.minimum(k, agents) * mu + np.maximum(k - agents, 0) * theta
    log_pi = np.concatenate([[0.0], np.cumsum(np.log(load * mu) - np.log(deaths))])
    pi = np.exp(log_pi - log_pi.max())
    return np.asarray(pi / pi.sum(), dtype=np.float64)


def chain_measures(
    load: float, agents: int, aht: float, patience: float, answer: float
) -> tuple[float, float, float, float]:
    """P(wait), P(abandon), service level and mean wait of the truncated M/M/n+M chain.

    The share answered within ``answer`` follows each queue position forward with a
    matrix exponential of the tagged caller's own chain (served, abandoned or moving up).
    """
    mu, theta, queue_cap = 1.0 / aht, 1.0 / patience, 400
    pi = chain_stationary(load, agents, aht, patience, queue_cap)
    mean_queue = float(np.sum(np.arange(queue_cap) * pi[agents:]))
    served, abandoned = queue_cap, queue_cap + 1
    generator = np.zeros((queue_cap + 2, queue_cap + 2))
    for ahead in range(queue_cap):
        generator[ahead, ahead - 1 if ahead else served] = agents * mu + ahead * theta
        generator[ahead, abandoned] = theta
        generator[ahead, ahead] = -(agents * mu + ahead * theta + theta)
    answered_by = np.asarray(expm(generator * answer))[:queue_cap, served]
    service_level = pi[:agents].sum() + float(pi[agents:] @ answered_by)
    lam = load * mu
    return float(pi[agents:].sum()), theta * mean_queue / lam, service_level, mean_queue / lam


@pytest.mark.parametrize(
    ("load", "agents", "aht", "patience", "answer"),
    [
        (10.0, 14, 180.0, 120.0, 20.0),
        (10.0, 8, 180.0, 120.0, 20.0),  # fewer agents than Erlangs: still stable
        (10.0, 3, 180.0, 60.0, 20.0),
        (10.0, 20, 180.0, 600.0, 20.0),
        (20.0, 18, 300.0, 30.0, 5.0),
        (2.0, 1, 240.0, 900.0, 0.0),
    ],
)
def test_erlang_a_matches_birth_death_chain(
    load: float, agents: int, aht: float, patience: float, answer: float
) -> None:
    p_wait, p_abandon, service_level, mean_wait = chain_measures(
        load, agents, aht, patience, answer
    )
    m = erlang_a(load, aht, aht, agents, answer, patience)  # volume = load per AHT
    assert m.p_abandon is not None
    assert float(m.p_wait) == pytest.approx(p_wait, rel=1e-9)
    assert float(m.p_abandon) == pytest.approx(p_abandon, rel=1e-9)
    assert float(m.service_level) == pytest.approx(service_level, rel=1e-9)
    assert float(m.asa_seconds) == pytest.approx(mean_wait, rel=1e-9)
    assert float(m.occupancy) == pytest.approx(load * (1 - p_abandon) / agents, rel=1e-9)


def test_erlang_a_with_patience_far_above_aht_matches_the_chain() -> None:
    # x = n * patience / AHT = 5.6 million: SciPy's lower incomplete gamma comes out short
    # there (see _scipy_lower_tail_truncated) and once made P(abandon) rise with agents.
    load, aht, patience = 2355.0, 1.0, 2355.0
    agents = np.arange(2340, 2400)
    m = erlang_a(load, aht, aht, agents, 4.0, patience)
    assert m.p_abandon is not None
    assert np.all(np.diff(m.p_abandon) < 0)
    assert np.all(np.diff(m.service_level) > 0)
    for i in (0, 15, 20, 45):
        pi = chain_stationary(load, int(agents[i]), aht, patience, queue_cap=60_000)
        mean_queue = float(np.sum(np.arange(60_000) * pi[agents[i] :]))
        assert m.p_wait[i] == pytest.approx(pi[agents[i] :].sum(), rel=1e-9)
        assert m.p_abandon[i] == pytest.approx(mean_queue * aht / (patience * load), rel=1e-8)


# --- stability rules, edges and scale ----------------------------------------------------


def test_erlang_c_at_or_below_the_load_is_unstable() -> None:
    m = erlang_c(100, 1800, 180, [0, 9, 10], 20)
    np.testing.assert_array_equal(m.p_wait, [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(m.service_level, [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(m.asa_seconds, [np.inf, np.inf, np.inf])
    np.testing.assert_array_equal(m.occupancy, [1.0, 1.0, 1.0])


def test_no_traffic_is_perfect_service_and_no_work() -> None:
    for m in (erlang_c(0, 1800, 180, [0, 5], 20), erlang_a(0, 1800, 180, [0, 5], 20, 60)):
        np.testing.assert_array_equal(m.p_wait, [0.0, 0.0])
        np.testing.assert_array_equal(m.service_level, [1.0, 1.0])
        np.testing.assert_array_equal(m.asa_seconds, [0.0, 0.0])
        np.testing.assert_array_equal(m.occupancy, [0.0, 0.0])


def test_erlang_a_without_agents_loses_every_call_after_its_patience() -> None:
    m = erlang_a(100, 1800, 180, 0, 20, 90)
    assert m.p_abandon is not None
    assert (float(m.p_wait), float(m.p_abandon), float(m.service_level)) == (1.0, 1.0, 0.0)
    assert float(m.asa_seconds) == 90.0


def test_fifty_thousand_erlangs_stay_finite_and_in_range() -> None:
    agents = np.array([1, 30_000, 49_999, 50_000, 50_001, 50_100, 50_300, 52_000, 70_000])
    volume, interval, aht = 300_000, 1800, 300  # 50,000 Erlangs
    c = erlang_c(volume, interval, aht, agents, 20)
    a = erlang_a(volume, interval, aht, agents, 20, 60)
    assert a.p_abandon is not None
    for probability in (c.p_wait, c.service_level, a.p_wait, a.service_level, a.p_abandon):
        assert np.all((probability >= 0) & (probability <= 1))
    assert np.all(np.isfinite(a.asa_seconds))
    assert np.all(np.isfinite(c.asa_seconds[agents > 50_000]))
    assert c.p_wait[agents == 50_100][0] == pytest.approx(0.5459375, abs=1e-6)


def test_shapes_broadcast_and_scalars_give_zero_d_read_only_arrays() -> None:
    m = erlang_c([[100], [200]], 1800, 180, [14, 20, 30], 20)
    assert m.service_level.shape == (2, 3)
    scalar = erlang_a(100, 1800, 180, 14, 20, 120)
    assert scalar.p_wait.shape == ()
    assert not scalar.p_wait.flags.writeable
    assert offered_load_erlangs([100, 200], 1800, 180).tolist() == [10.0, 20.0]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: erlang_c(100, 1800, -5, 14, 20), "aht_seconds must be > 0, got -5"),
        (lambda: erlang_c(-1, 1800, 180, 14, 20), "volume must be >= 0, got -1"),
        (lambda: erlang_c(100, 0, 180, 14, 20), "interval_seconds must be > 0, got 0"),
        (lambda: erlang_c(100, 1800, 180, 14.5, 20), "agents must be a whole number, got 14.5"),
        (lambda: erlang_c(100, 1800, 180, [14, -1], 20), "agents must be >= 0, got -1"),
        (lambda: erlang_c(100, 1800, 180, 14, float("nan")), "target_answer_seconds must be"),
        (lambda: erlang_c("many", 1800, 180, 14, 20), "volume must be a number, got 'many'"),
        (lambda: erlang_a(100, 1800, 180, 14, 20, 0), "patience_seconds must be > 0, got 0"),
        (lambda: erlang_c([1, 2], 1800, 180, [1, 2, 3], 20), "cannot be broadcast together"),
        (lambda: erlang_b(-3, 1), "load_erlangs must be >= 0, got -3"),
    ],
)
def test_bad_arguments_are_named(call: Callable[[], object], message: str) -> None:
    with pytest.raises(QueueingArgumentError, match=message.replace(".", r"\.")):
        call()


def test_argument_error_is_a_value_error_naming_the_argument() -> None:
    with pytest.raises(ValueError, match="aht_seconds") as caught:
        erlang_a(100, 1800, 0, 14, 20, 60)
    assert isinstance(caught.value, QueueingArgumentError)
    assert caught.value.argument == "aht_seconds"


# --- properties ---------------------------------------------------------------------------


def agent_range(load: float) -> NDArray[np.int64]:
    """Agent counts from none to well past what any target would ask for."""
    return np.arange(0, math.ceil(load + 6 * math.sqrt(load) + 8))


@properties
@given(load=loads, aht=aht_values, answer=answer_times)
def test_erlang_c_adding_agents_never_hurts(load: float, aht: float, answer: float) -> None:
    n = agent_range(load)
    m = erlang_c(load, aht, aht, n, answer)
    finite = np.isfinite(m.asa_seconds)  # unstable (infinite) first, then finite
    assert np.all(np.diff(finite.astype(int)) >= 0)
    assert np.all(np.diff(m.service_level) >= -1e-12)
    assert np.all(np.diff(m.asa_seconds[finite]) <= 1e-12)
    assert np.all(np.diff(m.p_wait) <= 1e-12)
    assert np.all(np.diff(m.occupancy) <= 1e-12)
    for probability in (m.p_wait, m.service_level, m.occupancy):
        assert np.all((probability >= 0) & (probability <= 1))


@properties
@given(load=loads, aht=aht_values, answer=answer_times, patience=patiences)
def test_erlang_a_adding_agents_never_hurts(
    load: float, aht: float, answer: float, patience: float
) -> None:
    n = agent_range(load)
    m = erlang_a(load, aht, aht, n, answer, patience)
    assert m.p_abandon is not None
    assert np.all(np.diff(m.service_level) >= -1e-12)
    assert np.all(np.diff(m.asa_seconds) <= 1e-9 * patience)
    assert np.all(np.diff(m.p_abandon) <= 1e-12)
    assert np.all(np.diff(m.occupancy) <= 1e-12)
    for probability in (m.p_wait, m.service_level, m.occupancy, m.p_abandon):
        assert np.all((probability >= 0) & (probability <= 1))
    assert np.all(m.service_level <= 1 - m.p_abandon + 1e-12)


@properties
@given(
    load=loads,
    agents=st.integers(min_value=1, max_value=2_100),
    aht=aht_values,
    answer=answer_times,
    patience=patiences,
)
def test_less_load_never_hurts(
    load: float, agents: int, aht: float, answer: float, patience: float
) -> None:
    # The same agents facing a falling load, from twice the given load down to nothing.
    falling = load * np.linspace(2.0, 0.0, 41)
    c = erlang_c(falling, aht, aht, agents, answer)
    a = erlang_a(falling, aht, aht, agents, answer, patience)
    assert a.p_abandon is not None
    for m in (c, a):
        assert np.all(np.diff(m.service_level) >= -1e-12)
        assert np.all(np.diff(m.p_wait) <= 1e-12)
        assert np.all(np.diff(m.occupancy) <= 1e-12)
    finite = np.isfinite(c.asa_seconds)  # unstable (infinite) first, then finite
    assert np.all(np.diff(finite.astype(int)) >= 0)
    assert np.all(np.diff(c.asa_seconds[finite]) <= 1e-12 * aht)
    assert np.all(np.diff(a.asa_seconds) <= 1e-9 * patience)
    assert np.all(np.diff(a.p_abandon) <= 1e-12)


@properties
@given(load=loads, aht=aht_values, answer=answer_times, patience=patiences)
def test_erlang_a_waits_no_longer_than_erlang_c(
    load: float, aht: float, answer: float, patience: float
) -> None:
    # Callers who hang up shorten the queue behind them: where Erlang C is stable, Erlang A's
    # mean wait and chance of waiting are no larger. (Its service level may be lower: a
    # caller who hangs up counts as missed.)
    n = np.arange(math.floor(load) + 1, math.ceil(load + 6 * math.sqrt(load) + 8))
    c = erlang_c(load, aht, aht, n, answer)
    a = erlang_a(load, aht, aht, n, answer, patience)
    assert np.all(a.asa_seconds <= c.asa_seconds * (1 + 1e-9) + 1e-12)
    assert np.all(a.p_wait <= c.p_wait + 1e-12)


@properties
@given(load=loads, aht=aht_values, answer=answer_times, patience=patiences)
def test_more_patient_callers_abandon_less(
    load: float, aht: float, answer: float, patience: float
) -> None:
    n = np.arange(1, math.ceil(load + 3 * math.sqrt(load) + 3))[:, None]
    patience_grid = patience * np.array([1.0, 1.5, 3.0, 10.0])
    m = erlang_a(load, aht, aht, n, answer, patience_grid)
    assert m.p_abandon is not None
    assert np.all(np.diff(m.p_abandon, axis=1) <= 1e-12)


@properties
@given(
    load=st.floats(min_value=0.05, max_value=500.0),
    margin=st.floats(min_value=0.5, max_value=40.0),
    aht=aht_values,
    answer=answer_times,
)
def test_erlang_a_becomes_erlang_c_as_patience_grows(
    load: float, margin: float, aht: float, answer: float
) -> None:
    agents = math.ceil(load + margin)
    c = erlang_c(load, aht, aht, agents, answer)
    # The models differ by O(mean wait / patience): about 1e-7 at this patience.
    a = erlang_a(load, aht, aht, agents, answer, 1e9 * aht)
    assert float(a.p_wait) == pytest.approx(float(c.p_wait), abs=1e-6)
    assert float(a.service_level) == pytest.approx(float(c.service_level), abs=1e-6)
    assert float(a.asa_seconds) == pytest.approx(float(c.asa_seconds), rel=1e-4, abs=1e-9)
    assert float(a.occupancy) == pytest.approx(float(c.occupancy), abs=1e-6)


@settings(deadline=None, max_examples=150)
@given(
    volume=st.floats(min_value=0.0, max_value=1e6),
    aht=st.floats(min_value=1e-3, max_value=1e5),
    agents=st.integers(min_value=0, max_value=100_000),
    answer=st.floats(min_value=0.0, max_value=1e5),
    patience=st.floats(min_value=1e-3, max_value=1e7),
)
def test_extreme_inputs_give_no_nan_and_no_warning(
    volume: float, aht: float, agents: int, answer: float, patience: float
) -> None:
    # pytest turns NumPy's overflow and invalid-value warnings into errors here.
    c = erlang_c(volume, 1800, aht, agents, answer)
    a = erlang_a(volume, 1800, aht, agents, answer, patience)
    assert a.p_abandon is not None
    for probability in (c.p_wait, c.service_level, c.occupancy, a.p_wait, a.p_abandon):
        assert 0.0 <= float(probability) <= 1.0
    assert 0.0 <= float(a.service_level) <= 1.0
    assert 0.0 <= float(a.asa_seconds) <= patience
    assert float(c.asa_seconds) >= 0.0
