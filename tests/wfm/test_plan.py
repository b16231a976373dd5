"""The staffing plan: published Erlang figures per queue, pools, and cost from the table."""

from __future__ import annotations

import doctest
import itertools

import numpy as np
import pytest

import frontline.wfm.plan
import frontline.wfm.salaries
from frontline.people.models import AgentLevel
from frontline.wfm import QueueingArgumentError, required_agents
from frontline.wfm.plan import QueueDemand, QueueSettings, Shrinkage, staffing_plan
from frontline.wfm.salaries import LEVEL_BANDS, SALARY_TABLE, SalaryBand, salary_range

HALF_HOUR = 1800
ONE_DAY = 48  # half hours


def demand(volume: float | list[float], aht: float = 180.0, intervals: int = 1) -> QueueDemand:
    volumes = np.broadcast_to(np.asarray(volume, dtype=np.float64), (intervals,)).copy()
    return QueueDemand(
        interval_start=np.arange(intervals, dtype=np.int64) * HALF_HOUR,
        volume=volumes,
        aht_seconds=np.full(intervals, aht),
        interval_seconds=HALF_HOUR,
    )


def test_docstring_examples_run() -> None:
    assert doctest.testmod(frontline.wfm.plan).failed == 0
    assert doctest.testmod(frontline.wfm.salaries).failed == 0


def test_the_classic_queue_before_and_after_shrinkage() -> None:
    # pyworkforce README, ErlangC example: 100 calls per 30 min, AHT 3 min, 80% in 20 s
    # need 14 positions, 20 with 30% shrinkage. Here 30% = 10% breaks + 5% training + 15%
    # absence.
    settings = QueueSettings(shrinkage=Shrinkage(breaks=0.1, training=0.05, absence=0.15))
    plan = staffing_plan({"sales": demand(100)}, {"sales": settings})
    queue = plan.queues[0]
    assert queue.agents.tolist() == [14]
    assert queue.scheduled_agents.tolist() == [20]
    assert queue.service_level[0] == pytest.approx(0.8883500191794669, abs=1e-12)
    assert queue.p_abandon is None


def test_erlang_a_queues_are_sized_with_patience() -> None:
    # The same 80/20 goal with callers who hang up after 120 s on average (see
    # required_agents' docstring): 0, 12, 41 and 87 agents.
    settings = QueueSettings(method="erlang_a", patience_seconds=120)
    plan = staffing_plan({"help": demand([0, 100, 400, 900], intervals=4)}, {"help": settings})
    assert plan.queues[0].agents.tolist() == [0, 12, 41, 87]
    assert plan.queues[0].p_abandon is not None


def test_a_pool_reports_both_the_sum_and_the_pooled_requirement() -> None:
    # Two queues of 50 calls each: pooled they are the classic 100-call queue (14 agents,
    # published above); separately each needs what 50 calls need on its own.
    settings = QueueSettings(pool="front")
    plan = staffing_plan({"a": demand(50), "b": demand(50)}, {"a": settings, "b": settings})
    alone = int(required_agents(50, HALF_HOUR, 180, 0.8, 20).agents)
    (pool,) = plan.pools
    assert pool.queues == ("a", "b")
    assert pool.pooled_agents.tolist() == [14]
    assert pool.separate_agents.tolist() == [2 * alone]
    assert pool.pooled_agents[0] < pool.separate_agents[0]


def test_the_pool_takes_the_strictest_target_and_the_weighted_aht() -> None:
    # 60 calls of 120 s and 40 of 300 s: 100 calls at a weighted 192 s; a 90% target
    # beats 80%. Sized together, that is one queue of those figures.
    plan = staffing_plan(
        {"a": demand(60, aht=120), "b": demand(40, aht=300)},
        {
            "a": QueueSettings(pool="p", service_level_target=0.9),
            "b": QueueSettings(pool="p", service_level_target=0.8),
        },
    )
    expected = int(required_agents(100, HALF_HOUR, 192, 0.9, 20).agents)
    assert plan.pools[0].pooled_agents.tolist() == [expected]


def test_monthly_cost_comes_from_the_salary_table() -> None:
    # 20 scheduled agents around the clock for a day: 480 agent-hours a day, 3,360 a week,
    # 84 full-time agents at 40 h. All specialists in Kazan: band III, 10,000-15,000 RUB.
    settings = QueueSettings(site="Kazan", shrinkage=Shrinkage(absence=0.3))
    plan = staffing_plan(
        {"sales": demand(100, intervals=ONE_DAY)},
        {"sales": settings},
        level_mix={AgentLevel.SPECIALIST: 1.0},
    )
    (site,) = plan.sites
    assert site.site == "Kazan"
    assert site.fte_separate == pytest.approx(84.0)
    assert site.salary_rub == (10_000.0, 12_500.0, 15_000.0)
    assert site.monthly_cost_separate_rub == pytest.approx((840_000, 1_050_000, 1_260_000))
    assert site.monthly_cost_pooled_rub == site.monthly_cost_separate_rub  # no pool


def test_the_level_mix_weights_the_bands() -> None:
    # Moscow, half consultants (band II 20,000-24,000) and half leading specialists
    # (band IV 30,000-40,000): an average agent costs 25,000-32,000, middle 28,500.
    mix = {AgentLevel.CONSULTANT: 0.5, AgentLevel.LEADING_SPECIALIST: 0.5}
    plan = staffing_plan({"q": demand(100)}, {"q": QueueSettings()}, level_mix=mix)
    assert plan.sites[0].salary_rub == (25_000.0, 28_500.0, 32_000.0)


def test_the_salary_table_is_the_studys() -> None:
    # Rows of the study's table (April 2012, roubles a month), spot-checked.
    assert len(SALARY_TABLE) == 12
    assert SALARY_TABLE["Moscow"].average_rub == 28_000
    assert salary_range("Moscow", SalaryBand.NO_EXPERIENCE).low_rub == 16_000
    assert salary_range("Moscow", SalaryBand.SIGNIFICANT_EXPERIENCE).high_rub == 40_000
    assert salary_range("Saint Petersburg", SalaryBand.EXPERIENCED).high_rub == 23_000
    assert salary_range("Chelyabinsk", SalaryBand.EXPERIENCED).high_rub == 18_000
    assert salary_range("Ufa", SalaryBand.MINIMAL_EXPERIENCE).high_rub == 11_000
    assert salary_range("Yekaterinburg", AgentLevel.LEADING_SPECIALIST).low_rub == 20_000
    for city in SALARY_TABLE.values():
        ranges = [city.bands[band] for band in SalaryBand]
        assert all(r.low_rub < r.high_rub for r in ranges)
        assert all(a.high_rub == b.low_rub for a, b in itertools.pairwise(ranges))
    assert set(LEVEL_BANDS) == set(AgentLevel)


@pytest.mark.parametrize(
    ("settings", "argument"),
    [
        ({"q": QueueSettings(method="erlang_a")}, "q.patience_seconds"),
        ({"q": QueueSettings(service_level_target=1.0)}, "q.service_level_target"),
        ({"q": QueueSettings(site="Paris")}, "site"),
        ({}, "queue"),
    ],
)
def test_bad_settings_are_named(settings: dict[str, QueueSettings], argument: str) -> None:
    with pytest.raises(QueueingArgumentError) as caught:
        staffing_plan({"q": demand(100)}, settings)
    assert caught.value.argument == argument


def test_a_pool_across_sites_is_refused() -> None:
    with pytest.raises(QueueingArgumentError, match=r"b\.site"):
        staffing_plan(
            {"a": demand(10), "b": demand(10)},
            {"a": QueueSettings(pool="p"), "b": QueueSettings(pool="p", site="Omsk")},
        )
