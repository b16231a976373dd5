"""The simulator, driving the real routing engine, against queueing theory.

Single-skill M/M/n and M/M/n+M days must agree with Erlang C and Erlang A
(``frontline.wfm``, itself pinned to published values in ``tests/wfm``) within the
simulation's 99 % confidence intervals; a multi-skill day must show what an overflow rule
is for. The seeds are fixed, so every run of these tests sees the same days.
"""

from __future__ import annotations

from frontline.sim import Estimate, SimulationResult, parse_scenario, simulate
from frontline.wfm import erlang_a, erlang_c, required_agents

CALLS_PER_HOUR, AHT_SECONDS, PATIENCE_SECONDS, ANSWER_SECONDS = 400, 180.0, 120.0, 20.0
HOURS = 6  # measured, after a warm-up hour from an empty centre


def single_queue_day(agents: int, patience: str = "") -> SimulationResult:
    arrivals = ", ".join([str(CALLS_PER_HOUR / 4)] * (HOURS + 1) * 4)
    return simulate(
        parse_scenario(f"""
        seed = 20261123
        replications = 16
        confidence = 0.99
        open = "00:00"
        close = "{HOURS + 1:02d}:00"
        warm_up_minutes = 60
        [[queues]]
        name = "single"
        skills = ["s"]
        arrivals = [{arrivals}]
        handle = {{ distribution = "exponential", mean_seconds = {AHT_SECONDS} }}
        service_level = {{ threshold_seconds = {ANSWER_SECONDS} }}
        {patience}
        [[agents]]
        name = "team"
        count = {agents}
        skills = {{ s = 1 }}
        # Agents stay on after the last arrival, so every call is answered or abandoned.
        shift = {{ start = "00:00", end = "{HOURS + 3:02d}:00" }}
        """)
    )


def within(value: float, figure: Estimate) -> bool:
    assert figure.low is not None and figure.high is not None
    return figure.low <= value <= figure.high


def test_m_m_n_agrees_with_erlang_c() -> None:
    # The staffing search picks the fewest agents for 80 % in 20 s at 20 Erlangs.
    staffing = required_agents(CALLS_PER_HOUR, 3600, AHT_SECONDS, 0.8, ANSWER_SECONDS)
    agents = int(staffing.agents)
    theory = erlang_c(CALLS_PER_HOUR, 3600, AHT_SECONDS, agents, ANSWER_SECONDS)
    day = single_queue_day(agents).queues[0].day
    assert within(float(theory.service_level), day.service_level)
    assert within(float(theory.asa_seconds), day.asa_seconds)
    assert day.abandoned.mean == 0


def test_m_m_n_plus_m_agrees_with_erlang_a() -> None:
    agents = 21  # a little short of staff, so a few per cent hang up
    theory = erlang_a(CALLS_PER_HOUR, 3600, AHT_SECONDS, agents, ANSWER_SECONDS, PATIENCE_SECONDS)
    patience = f'patience = {{ distribution = "exponential", mean_seconds = {PATIENCE_SECONDS} }}'
    result = single_queue_day(agents, patience)
    day = result.queues[0].day
    assert theory.p_abandon is not None
    assert within(float(theory.service_level), day.service_level)
    assert within(float(theory.p_abandon), day.abandonment_rate)
    # Erlang A's ASA is the mean wait of all offered calls, abandoned ones included.
    assert within(float(theory.asa_seconds), day.wait_seconds)
    assert within(float(theory.occupancy), result.day_occupancy)


def two_queue_day(overflow: str) -> SimulationResult:
    """Sales is swamped (12 Erlangs on 12 agents), support is quiet (4 on 10)."""
    return simulate(
        parse_scenario(f"""
        seed = 7
        replications = 10
        confidence = 0.99
        open = "08:00"
        close = "12:00"
        interval_minutes = 60
        [[queues]]
        name = "sales"
        skills = [{{ skill = "sales", min_proficiency = 2 }}]
        {overflow}
        arrivals = [240, 240, 240, 240]
        handle = {{ distribution = "lognormal", mean_seconds = 180, sd_seconds = 120 }}
        patience = {{ distribution = "exponential", mean_seconds = 90 }}
        [[queues]]
        name = "support"
        skills = ["support"]
        arrivals = [80, 80, 80, 80]
        handle = {{ distribution = "lognormal", mean_seconds = 180, sd_seconds = 120 }}
        patience = {{ distribution = "exponential", mean_seconds = 90 }}
        [[agents]]
        name = "sales"
        count = 12
        skills = {{ sales = 4 }}
        shift = {{ start = "08:00", end = "13:00" }}
        [[agents]]
        name = "support"
        count = 10
        skills = {{ support = 4, sales = 1 }}
        shift = {{ start = "08:00", end = "13:00" }}
        """)
    )


def test_an_overflow_rule_moves_service_from_the_quiet_queue_to_the_busy_one() -> None:
    # Support agents know sales at proficiency 1: below the queue's 2, until 10 s of waiting.
    alone = two_queue_day("")
    helped = two_queue_day('overflow = [{ after_seconds = 10, skills = ["sales"] }]')
    sales_alone, sales_helped = alone.queues[0].day, helped.queues[0].day
    support_alone, support_helped = alone.queues[1].day, helped.queues[1].day
    assert sales_alone.service_level.high is not None and sales_helped.service_level.low is not None
    assert sales_helped.service_level.low > sales_alone.service_level.high
    assert sales_alone.abandonment_rate.low is not None
    assert sales_helped.abandonment_rate.high is not None
    assert sales_helped.abandonment_rate.high < sales_alone.abandonment_rate.low
    # Support pays a little: its agents are busier, so its own callers wait longer.
    assert support_alone.asa_seconds.mean is not None and support_helped.asa_seconds.mean
    assert support_helped.asa_seconds.mean > support_alone.asa_seconds.mean
    assert helped.day_occupancy.mean is not None and alone.day_occupancy.mean is not None
    assert helped.day_occupancy.mean > alone.day_occupancy.mean


def test_the_seed_makes_a_run_reproducible() -> None:
    text = """
        seed = SEED
        replications = 2
        open = "09:00"
        close = "10:00"
        interval_minutes = 60
        [[queues]]
        name = "q"
        arrivals = [100]
        handle = { distribution = "exponential", mean_seconds = 100 }
        patience = { distribution = "exponential", mean_seconds = 60 }
        [[agents]]
        name = "a"
        count = 3
        skills = {}
        """
    first = simulate(parse_scenario(text.replace("SEED", "5")))
    assert simulate(parse_scenario(text.replace("SEED", "5"))) == first
    assert simulate(parse_scenario(text.replace("SEED", "6"))) != first
