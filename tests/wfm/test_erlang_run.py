"""The staffing search's run of counts (one incomplete gamma, the rest by Erlang B's
recursion) against ``erlang_c`` evaluated count by count."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from frontline.wfm import erlang_c
from frontline.wfm.erlang import QueueMetrics, erlang_c_of_load, erlang_c_run_of_load

OFFSETS = range(-2, 2)


def one_count(load: float, agents: float, aht: float, answer: float) -> QueueMetrics:
    """Erlang C of one count at exactly ``load`` Erlangs (``erlang_c`` would recompute the
    load from volume x AHT / interval, a rounding away)."""
    return erlang_c_of_load(
        np.array([load]), np.array([agents]), np.array([aht]), np.array([answer])
    )


@settings(deadline=None, max_examples=80)
@given(
    load=st.floats(min_value=1e-6, max_value=2e5),
    above=st.floats(min_value=0.0, max_value=8.0),
    aht=st.floats(min_value=10.0, max_value=900.0),
    answer=st.floats(min_value=0.0, max_value=300.0),
)
def test_run_matches_erlang_c_count_by_count(
    load: float, above: float, aht: float, answer: float
) -> None:
    # An anchor above the load, a few standard deviations up at most, as the search uses.
    anchor = float(np.floor(load + above * np.sqrt(load)) + 1)
    run, anchored = erlang_c_run_of_load(
        np.array([load]), np.array([anchor]), np.array([aht]), np.array([answer]), OFFSETS
    )
    for row, offset in enumerate(OFFSETS):
        agents = anchor + offset
        if agents < 0:
            continue
        expected = one_count(load, agents, aht, answer)
        for got, want in (
            (run.p_wait[row, 0], expected.p_wait[0]),
            (run.service_level[row, 0], expected.service_level[0]),
            (run.asa_seconds[row, 0], expected.asa_seconds[0]),
            (run.occupancy[row, 0], expected.occupancy[0]),
        ):
            # Both sides carry SciPy's incomplete gamma error (~1e-14), which 1 - P(wait)
            # can magnify; the recursion itself adds an ulp or two.
            assert got == want or abs(got - float(want)) <= 1e-12 * max(abs(float(want)), 1.0)
    # The anchor's own measures are bit for bit erlang_c's: the search reports them.
    exact = one_count(load, anchor, aht, answer)
    assert anchored.service_level[0] == exact.service_level[0]
    assert anchored.asa_seconds[0] == exact.asa_seconds[0]
    assert anchored.p_wait[0] == exact.p_wait[0]


def test_a_million_calls_an_hour_runs_without_overflow() -> None:
    # 83,333 Erlangs (1,000,000 calls an hour at 300 s): the benchmark's huge interval.
    load = 1_000_000 * 300 / 3600
    run, _ = erlang_c_run_of_load(
        np.array([load]), np.array([83_356.0]), np.array([300.0]), np.array([20.0]), OFFSETS
    )
    expected = erlang_c(1_000_000, 3600, 300, 83_356 + np.array(OFFSETS), 20).service_level
    np.testing.assert_allclose(run.service_level[:, 0], expected, rtol=1e-12)
