"""The simulated day's mechanics: time per interval, ringing, breaks and retrials."""

from __future__ import annotations

import numpy as np

from frontline.metrics import average_speed_of_answer
from frontline.sim import parse_scenario, simulate
from frontline.sim.plan import Plan
from frontline.sim.replication import run_replication
from frontline.sim.sampling import Streams, draw_arrivals
from frontline.sim.timeline import Segments

DAY = """
seed = 1
replications = 3
open = "09:00"
close = "10:00"
interval_minutes = 30
ring_seconds = RING
[[queues]]
name = "q"
skills = ["s"]
arrivals = [60, 60]
handle = { distribution = "exponential", mean_seconds = 120 }
patience = { distribution = "exponential", mean_seconds = 60 }
RETRIAL
[[agents]]
name = "a"
count = 4
skills = { s = 2 }
shift = { start = "09:00", end = "11:00" }
BREAKS
"""


def day(ring: str = "0", retrial: str = "", breaks: str = "") -> str:
    return DAY.replace("RING", ring).replace("RETRIAL", retrial).replace("BREAKS", breaks)


def test_segments_split_at_interval_edges() -> None:
    segments = Segments(keys=2, open_at=0.0, close_at=250.0, length=100.0)
    segments.add(0, 50.0, 220.0, 2.0)  # 50 s, 100 s, 20 s, twice over
    segments.add(1, -30.0, 10.0)  # before the open: only 10 s count
    segments.add(1, 240.0, 400.0, 3.0)  # past the close: 10 s of the short last interval
    segments.add(1, 120.0, 120.0, 9.0)  # no time: neither time nor a peak
    total, peak = segments.binned()
    assert total.tolist() == [[100.0, 200.0, 40.0], [10.0, 0.0, 30.0]]
    assert peak.tolist() == [[2.0, 2.0, 2.0], [1.0, 0.0, 3.0]]


def test_ringing_delays_every_answer() -> None:
    quick = simulate(parse_scenario(day())).queues[0].day
    ringing = simulate(parse_scenario(day(ring="8"))).queues[0].day
    assert ringing.asa_seconds.mean is not None and quick.asa_seconds.mean is not None
    assert ringing.asa_seconds.mean >= 8.0
    assert ringing.asa_seconds.mean > quick.asa_seconds.mean


def test_abandoned_callers_call_again() -> None:
    once = simulate(parse_scenario(day())).queues[0].day
    again = (
        simulate(
            parse_scenario(day(retrial="retrial = { probability = 1, mean_delay_seconds = 60 }"))
        )
        .queues[0]
        .day
    )
    assert once.abandoned.mean and again.offered.mean and once.offered.mean
    # Same first arrivals (their own random stream); every abandon comes back once more.
    assert again.offered.mean > once.offered.mean


def test_a_break_costs_service() -> None:
    breaks = 'breaks = [{ start = "09:00", minutes = 30 }]'
    full = simulate(parse_scenario(day()))
    paused = simulate(parse_scenario(day(breaks=breaks)))
    first = paused.queues[0].intervals[0].contacts
    # Nobody at work in the first half hour: its callers hang up, but for the last few.
    assert first.abandoned.mean is not None and first.offered.mean is not None
    assert first.abandoned.mean > 0.9 * first.offered.mean
    assert full.queues[0].day.service_level.mean is not None
    assert paused.queues[0].intervals[1].contacts.answered.mean
    assert paused.occupancy[0].mean is None  # no agent ready or busy in it
    assert all(agent.utilisation.mean for agent in paused.agents)


BUSY_DAY = """
seed = 3
open = "08:00"
close = "12:00"
interval_minutes = 60
[[queues]]
name = "q"
arrivals = [200, 200, 200, 200]
handle = { distribution = "exponential", mean_seconds = 120 }
patience = { distribution = "exponential", mean_seconds = 60 }
retrial = { probability = 0.5, mean_delay_seconds = 60, priority = PRIORITY }
[[agents]]
name = "a"
count = 7
skills = {}
shift = { start = "08:00", end = "13:00" }
"""


def asa_of_first_calls_and_retrials(priority: float) -> tuple[float, float]:
    """One replication: ASA of the day's first calls and of the callers trying again."""
    scenario = parse_scenario(BUSY_DAY.replace("PRIORITY", str(priority)))
    seed = np.random.SeedSequence(scenario.seed)
    first_calls = len(draw_arrivals(scenario, Streams.spawn(seed).arrivals).times)
    record = run_replication(scenario, Plan.of(scenario), seed)
    first, again = record.outcomes[:first_calls], record.outcomes[first_calls:]
    assert len(again) > 50
    first_asa, again_asa = average_speed_of_answer(first), average_speed_of_answer(again)
    assert first_asa is not None and again_asa is not None
    return first_asa, again_asa


def test_call_backs_with_priority_go_ahead_of_first_calls() -> None:
    # Same first arrivals in both runs (their own random stream), so the difference is
    # the engine putting the returning callers first.
    first_ahead, again_ahead = asa_of_first_calls_and_retrials(priority=100)
    first_level, again_level = asa_of_first_calls_and_retrials(priority=0)
    assert again_ahead < 0.75 * again_level
    assert first_ahead > first_level  # the first callers pay for it
