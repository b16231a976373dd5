"""The staffing search's walk (one exact evaluation, then Erlang B's recursion a count at
a time) against ``erlang_c`` evaluated count by count."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontline.wfm import erlang_b, erlang_c
from frontline.wfm.erlang import (
    QueueMetrics,
    erlang_b_step,
    erlang_c_of_blocking,
    erlang_c_of_load,
    erlang_c_with_blocking_of_load,
)

# As far as the search walks (staffing._WALK_STEPS) each way, and one more.
STEPS = 5


def one_count(load: float, agents: float, aht: float, answer: float) -> QueueMetrics:
    """Erlang C of one count at exactly ``load`` Erlangs (``erlang_c`` would recompute the
    load from volume x AHT / interval, a rounding away)."""
    return erlang_c_of_load(
        np.array([load]), np.array([agents]), np.array([aht]), np.array([answer])
    )


def walked(
    load: float, anchor: float, aht: float, answer: float, step: int
) -> list[tuple[float, QueueMetrics]]:
    """The counts and measures the walk sees going ``step`` (1 or -1) from ``anchor``,
    down no further than one above the load (the search stops there)."""
    a, n = np.array([load]), np.array([anchor])
    _, blocking = erlang_c_with_blocking_of_load(a, n, np.array([aht]), np.array([answer]))
    seen = []
    for _ in range(STEPS):
        blocking = erlang_b_step(a, n, blocking, step)
        n = n + step
        if n[0] <= load:
            break
        m = erlang_c_of_blocking(a, n, blocking, np.array([aht]), np.array([answer]))
        seen.append((float(n[0]), m))
    return seen


@settings(deadline=None, max_examples=80)
@given(
    load=st.floats(min_value=1e-6, max_value=2e5),
    above=st.floats(min_value=0.0, max_value=8.0),
    aht=st.floats(min_value=10.0, max_value=900.0),
    answer=st.floats(min_value=0.0, max_value=300.0),
)
def test_walk_matches_erlang_c_count_by_count(
    load: float, above: float, aht: float, answer: float
) -> None:
    # An anchor above the load, a few standard deviations up at most, as the search uses.
    anchor = float(np.floor(load + above * np.sqrt(load)) + 1)
    for step in (1, -1):
        for agents, m in walked(load, anchor, aht, answer, step):
            expected = one_count(load, agents, aht, answer)
            for got, want in (
                (m.p_wait[0], expected.p_wait[0]),
                (m.service_level[0], expected.service_level[0]),
                (m.asa_seconds[0], expected.asa_seconds[0]),
                (m.occupancy[0], expected.occupancy[0]),
            ):
                # Both sides carry the exact evaluation's error (~1e-14), which
                # 1 - P(wait) can magnify; the recursion itself adds an ulp or two a step.
                assert got == want or abs(got - float(want)) <= 1e-12 * max(abs(float(want)), 1.0)
    # The anchor's own measures are bit for bit erlang_c's: the search reports them.
    anchored, blocking = erlang_c_with_blocking_of_load(
        np.array([load]), np.array([anchor]), np.array([aht]), np.array([answer])
    )
    exact = one_count(load, anchor, aht, answer)
    assert anchored.service_level[0] == exact.service_level[0]
    assert anchored.asa_seconds[0] == exact.asa_seconds[0]
    assert anchored.p_wait[0] == exact.p_wait[0]
    assert blocking[0] == pytest.approx(float(erlang_b(load, anchor)), rel=1e-15)


def test_a_million_calls_an_hour_walks_without_overflow() -> None:
    # 83,333 Erlangs (1,000,000 calls an hour at 300 s): the benchmark's huge interval.
    load, anchor = 1_000_000 * 300 / 3600, 83_356.0
    for step in (1, -1):
        counts, measures = zip(*walked(load, anchor, 300.0, 20.0, step), strict=True)
        expected = erlang_c(1_000_000, 3600, 300, np.array(counts), 20).service_level
        got = [m.service_level[0] for m in measures]
        np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_a_step_is_one_agent_either_way() -> None:
    with pytest.raises(ValueError, match="step must be 1 or -1"):
        erlang_b_step(np.array([10.0]), np.array([14.0]), np.array([0.05]), 2)
