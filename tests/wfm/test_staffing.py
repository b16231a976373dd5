"""The staffing search: published answers, minimality against the public Erlang functions,
and inputs at the scale of a large contact center."""

from __future__ import annotations

import doctest
import math
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import frontline.wfm.staffing
from frontline.wfm import QueueingArgumentError, QueueMetrics, erlang_a, erlang_c
from frontline.wfm.staffing import StaffingResult, required_agents

properties = settings(deadline=None, max_examples=60)


def test_docstring_examples_run() -> None:
    # pytest collects doctests only under testpaths (tests/), so run the module's here.
    result = doctest.testmod(frontline.wfm.staffing, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_classic_example_matches_pyworkforce() -> None:
    # pyworkforce README (pypi.org/project/pyworkforce/0.2.1): ErlangC(transactions=100,
    # asa=20/60, aht=3, interval=30, shrinkage=0.3).required_positions(service_level=0.8,
    # max_occupancy=0.85) -> raw_positions 14, positions 20, service_level
    # 0.8883500191794669, occupancy 0.7142857142857143, waiting_probability 0.1741319335950498.
    r = required_agents(100, 1800, 180, 0.8, 20, max_occupancy=0.85, shrinkage=0.3)
    assert int(r.agents) == 14
    assert int(r.scheduled_agents) == 20
    assert float(r.service_level) == pytest.approx(0.8883500191794669, rel=1e-12)
    assert float(r.occupancy) == pytest.approx(0.7142857142857143, rel=1e-12)
    assert float(r.p_wait) == pytest.approx(0.1741319335950498, rel=1e-12)
    assert r.p_abandon is None


def test_occupancy_cap_can_decide() -> None:
    # 300 Erlangs meet 80/20 with about 310 agents at 97% occupancy; a cap of 85% needs
    # ceil(300 / 0.85) = 353.
    r = required_agents(3000, 1800, 180, 0.8, 20, max_occupancy=0.85)
    assert int(r.agents) == math.ceil(300 / 0.85)


def test_volume_zero_needs_nobody_and_shapes_follow_the_inputs() -> None:
    r = required_agents([[0, 100], [400, 0]], 1800, 180, 0.8, 20, patience_seconds=[[60], [90]])
    assert r.agents.shape == (2, 2)
    assert r.agents[0, 0] == 0
    assert r.agents[1, 1] == 0
    assert r.p_abandon is not None
    assert r.p_abandon.shape == (2, 2)
    assert r.service_level[0, 0] == 1.0
    assert not r.agents.flags.writeable
    assert required_agents(100, 1800, 180, 0.8, 20).agents.shape == ()


def test_shrinkage_rounds_up_without_float_noise() -> None:
    r = required_agents([100, 100, 100], 1800, 180, 0.8, 20, shrinkage=[0.0, 0.3, 0.35])
    np.testing.assert_array_equal(r.scheduled_agents, [14, 20, 22])


def test_a_peak_interval_of_a_large_center() -> None:
    # 16,000 calls a day with a third of them in the peak half hour, and a 50,000-Erlang
    # interval: both finish quickly and give sane, finite figures.
    r_c = required_agents([16_000 / 3, 300_000], 1800, [300, 300], 0.8, 20)
    r_a = required_agents([16_000 / 3, 300_000], 1800, [300, 300], 0.8, 20, 60)
    assert r_a.p_abandon is not None
    for result in (r_c, r_a):
        assert np.all(result.service_level >= 0.8)
        assert np.all(np.isfinite(result.asa_seconds))
    assert 889 < r_c.agents[0] < 950
    assert 50_000 < r_c.agents[1] < 50_100


def test_a_million_calls_an_hour_in_one_interval() -> None:
    # 1,000,000 calls in an hour at 300 s is 83,333 Erlangs; nothing may overflow (pytest
    # turns NumPy warnings into errors). Erlang C: square-root staffing puts the answer at
    # load + beta sqrt(load), beta about 0.08 for 80/20 at this scale.
    load = 1_000_000 * 300 / 3600
    c = required_agents(1_000_000, 3600, 300, 0.8, 20)
    assert load < int(c.agents) < load + 3 * math.sqrt(load)
    assert float(erlang_c(1_000_000, 3600, 300, int(c.agents) - 1, 20).service_level) < 0.8
    # Erlang A with 2-minute patience: so many servers that the surplus callers simply hang
    # up (the efficiency-driven regime), so fewer agents than Erlangs answer 80% in 20 s;
    # agents answer at most n of a Erlangs, so at least 0.8 load are needed.
    a = required_agents(1_000_000, 3600, 300, 0.8, 20, 120)
    assert a.p_abandon is not None
    assert 0.8 * load <= int(a.agents) < load
    for r in (c, a):
        assert 0.8 <= float(r.service_level) <= 1.0
        assert 0.0 <= float(r.p_wait) <= 1.0
        assert 0.0 < float(r.occupancy) <= 1.0
        assert np.isfinite(float(r.asa_seconds))
    assert 0.0 < float(a.p_abandon) <= 0.2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"aht_seconds": -5}, "aht_seconds must be > 0, got -5"),
        ({"service_level_target": 1.0}, "service_level_target must be >= 0 and < 1, got 1"),
        # 100% within 0 s: impossible with random arrivals whatever the staffing.
        (
            {"service_level_target": 1.0, "target_answer_seconds": 0},
            r"service_level_target must be >= 0 and < 1, got 1 \(with random arrivals",
        ),
        ({"target_answer_seconds": -1}, "target_answer_seconds must be >= 0, got -1"),
        ({"volume": -10}, "volume must be >= 0, got -10"),
        ({"volume": "lots"}, "volume must be a number, got 'lots'"),
        ({"volume": None}, "volume must be a number, got None"),
        ({"volume": [100, None]}, "volume must be a number, got None"),
        ({"volume": float("inf")}, "volume must be finite, got inf"),
        ({"aht_seconds": 0}, "aht_seconds must be > 0, got 0"),
        ({"shrinkage": 1.0}, "shrinkage must be >= 0 and < 1, got 1"),
        ({"max_occupancy": 0.0}, "max_occupancy must be > 0 and <= 1, got 0"),
        ({"asa_target_seconds": 0}, "asa_target_seconds must be > 0, got 0"),
        ({"max_abandon_rate": 0.05}, "max_abandon_rate needs patience_seconds"),
        ({"patience_seconds": -1}, "patience_seconds must be > 0, got -1"),
        ({"volume": [1, 2], "aht_seconds": [1, 2, 3]}, "cannot be broadcast together"),
    ],
)
def test_bad_arguments_are_named(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {
        "volume": 100,
        "interval_seconds": 1800,
        "aht_seconds": 180,
        "service_level_target": 0.8,
        "target_answer_seconds": 20,
    }
    arguments.update(kwargs)
    with pytest.raises(QueueingArgumentError, match=message):
        required_agents(**arguments)  # type: ignore[arg-type]  # values are the test's point


# --- minimality: the answer meets every target and one agent fewer does not -------------


@dataclass(frozen=True)
class Targets:
    service_level: float
    max_occupancy: float
    asa_seconds: float
    max_abandon_rate: float

    def met_by(self, m: QueueMetrics, *, load: float, agents: int) -> bool:
        """The targets, restated from the documentation rather than taken from the search."""
        stable = m.p_abandon is not None or agents > load
        return bool(
            agents >= 1
            and stable
            and m.service_level >= self.service_level
            and m.occupancy <= self.max_occupancy
            and m.asa_seconds <= self.asa_seconds
            and (m.p_abandon is None or m.p_abandon <= self.max_abandon_rate)
        )


@properties
@given(
    volume=st.floats(min_value=0.5, max_value=3_000.0),
    aht=st.floats(min_value=30.0, max_value=600.0),
    service_level_target=st.floats(min_value=0.0, max_value=0.99),
    answer=st.floats(min_value=0.0, max_value=120.0),
    patience=st.none() | st.floats(min_value=5.0, max_value=1_800.0),
    max_occupancy=st.floats(min_value=0.5, max_value=1.0),
    asa_target=st.floats(min_value=1.0, max_value=120.0),
    max_abandon_rate=st.floats(min_value=0.005, max_value=0.5),
)
def test_result_is_the_fewest_agents_meeting_every_target(
    *,
    volume: float,
    aht: float,
    service_level_target: float,
    answer: float,
    patience: float | None,
    max_occupancy: float,
    asa_target: float,
    max_abandon_rate: float,
) -> None:
    r = required_agents(
        volume, 1800, aht, service_level_target, answer, patience,
        max_occupancy=max_occupancy, asa_target_seconds=asa_target,
        max_abandon_rate=None if patience is None else max_abandon_rate,
    )  # fmt: skip
    agents, load = int(r.agents), volume * aht / 1800
    targets = Targets(service_level_target, max_occupancy, asa_target, max_abandon_rate)
    at, below = (
        erlang_c(volume, 1800, aht, n, answer)
        if patience is None
        else erlang_a(volume, 1800, aht, n, answer, patience)
        for n in (agents, max(agents - 1, 0))
    )
    assert targets.met_by(at, load=load, agents=agents)
    assert agents == 1 or not targets.met_by(below, load=load, agents=agents - 1)
    assert_reports(r, at)


def test_erlang_c_staffing_is_minimal_across_a_wide_grid() -> None:
    # 0.05 to 20,000 Erlangs x targets from 0% to 99% x answer times from 0 s to 10 min:
    # wherever the square-root guess is right, a little off or far off, the answer meets
    # the target and one agent fewer does not (or would leave the queue unstable).
    load = np.geomspace(0.05, 20_000, 181)[:, None, None]
    target = np.array([0.0, 0.5, 0.8, 0.9, 0.95, 0.99])[None, :, None]
    answer = np.array([0.0, 5.0, 20.0, 60.0, 600.0])[None, None, :]
    r = required_agents(load, 180, 180, target, answer)  # volume = load per AHT
    at = erlang_c(load, 180, 180, r.agents, answer)
    below = erlang_c(load, 180, 180, r.agents - 1, answer)
    assert np.all(r.agents > load)
    assert np.all(at.service_level >= target)
    assert np.all((below.service_level < target) | (r.agents - 1 <= load))
    np.testing.assert_array_equal(r.service_level, at.service_level)


def assert_reports(r: StaffingResult, m: QueueMetrics) -> None:
    """The result's measures are those of the public Erlang function at its agent count."""
    assert float(r.service_level) == float(m.service_level)
    assert float(r.asa_seconds) == float(m.asa_seconds)
    assert float(r.occupancy) == float(m.occupancy)
    assert float(r.p_wait) == float(m.p_wait)
    assert (r.p_abandon is None) == (m.p_abandon is None)


@properties
@given(
    volumes=st.lists(st.floats(min_value=0.0, max_value=2_000.0), min_size=1, max_size=40),
    patience=st.none() | st.floats(min_value=10.0, max_value=900.0),
)
def test_vectorised_equals_one_interval_at_a_time(
    volumes: list[float], patience: float | None
) -> None:
    together = required_agents(volumes, 1800, 240, 0.8, 20, patience)
    one_by_one = [int(required_agents(v, 1800, 240, 0.8, 20, patience).agents) for v in volumes]
    assert together.agents.tolist() == one_by_one
