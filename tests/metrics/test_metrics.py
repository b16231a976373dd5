"""The metrics against hand-computed cases, one per policy, and their edge cases."""

from __future__ import annotations

import pytest

from frontline.metrics import (
    AbandonTreatment,
    AgentTime,
    ContactOutcome,
    MetricsArgumentError,
    ServiceLevelPolicy,
    abandonment_rate,
    agents_by_state,
    average_handle_time,
    average_speed_of_answer,
    average_wait,
    bucket,
    contacts_waiting,
    handled,
    longest_wait,
    occupancy,
    per_interval,
    service_level,
    summarise,
    utilisation,
)

# Waits 10, 20 (exactly the threshold), 30 answered; 3 (short) and 40 abandoned; one waiting.
# W (answered within 20 s) = 2, A = 3, X = 2, X_N (abandoned after >= 5 s) = 1.
CONTACTS = [
    ContactOutcome(1, 0, answered_at=10, ended_at=110, wrap_up_ended_at=130),
    ContactOutcome(1, 0, answered_at=20, ended_at=220, wrap_up_ended_at=220),
    ContactOutcome(1, 0, answered_at=30, ended_at=90),  # still wrapping up
    ContactOutcome(1, 0, abandoned_at=3),
    ContactOutcome(1, 0, abandoned_at=40),
    ContactOutcome(1, 100),
]


def policy(treatment: AbandonTreatment) -> ServiceLevelPolicy:
    return ServiceLevelPolicy(treatment, threshold_seconds=20, short_abandon_seconds=5)


@pytest.mark.parametrize(
    ("treatment", "expected"),
    [
        (AbandonTreatment.COUNT_AGAINST, 2 / 5),  # W / (A + X)
        (AbandonTreatment.EXCLUDED, 2 / 3),  # W / A
        (AbandonTreatment.SHORT_IGNORED, 2 / 4),  # W / (A + X_N)
    ],
)
def test_service_level_under_each_policy(treatment: AbandonTreatment, expected: float) -> None:
    assert service_level(CONTACTS, policy(treatment)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("treatment", "expected"),
    [
        (AbandonTreatment.COUNT_AGAINST, 2 / 5),
        (AbandonTreatment.EXCLUDED, 2 / 5),  # excluded from the service level only
        (AbandonTreatment.SHORT_IGNORED, 1 / 4),  # X_N / (A + X_N)
    ],
)
def test_abandonment_rate_under_each_policy(treatment: AbandonTreatment, expected: float) -> None:
    assert abandonment_rate(CONTACTS, policy(treatment)) == pytest.approx(expected)


def test_short_abandon_threshold_is_inclusive_of_n() -> None:
    at_n = [ContactOutcome(1, 0, abandoned_at=5), ContactOutcome(1, 0, answered_at=1)]
    assert service_level(at_n, policy(AbandonTreatment.SHORT_IGNORED)) == 0.5


def test_defaults_are_90_percent_in_20_seconds_short_abandon_5() -> None:
    default = ServiceLevelPolicy()
    assert (default.target, default.threshold_seconds, default.short_abandon_seconds) == (
        0.9,
        20.0,
        5.0,
    )
    assert default.treatment is AbandonTreatment.COUNT_AGAINST


def test_policy_accepts_the_treatment_by_name() -> None:
    assert ServiceLevelPolicy("abandoned_excluded").treatment is AbandonTreatment.EXCLUDED  # type: ignore[arg-type]


def test_speed_of_answer_wait_and_handle_time() -> None:
    assert average_speed_of_answer(CONTACTS) == pytest.approx(20.0)  # (10 + 20 + 30) / 3
    assert average_wait(CONTACTS) == pytest.approx(103 / 5)  # (10 + 20 + 30 + 3 + 40) / 5
    # Handled: the first two; (100 talk + 20 wrap-up + 200 talk + 0) / 2.
    assert handled(CONTACTS) == 2
    assert average_handle_time(CONTACTS) == pytest.approx(160.0)


def test_waiting_and_longest_wait_at_a_moment() -> None:
    assert contacts_waiting(CONTACTS, at=15) == 3  # waits 20, 30 and 40 still running
    assert longest_wait(CONTACTS, at=15) == 15
    assert contacts_waiting(CONTACTS, at=120) == 1  # the last arrival
    assert longest_wait(CONTACTS, at=120) == 20
    assert longest_wait(CONTACTS[:2], at=50) is None


@pytest.mark.parametrize(
    "metric",
    [service_level, abandonment_rate, average_speed_of_answer, average_wait, average_handle_time],
)
def test_nothing_to_count_gives_none(metric: object) -> None:
    assert callable(metric)
    assert metric([]) is None
    assert metric([ContactOutcome(1, 0)]) is None  # only a contact still waiting


def test_everything_abandoned_short_and_excluded_gives_none() -> None:
    short = [ContactOutcome(1, 0, abandoned_at=2)]
    assert service_level(short, policy(AbandonTreatment.SHORT_IGNORED)) is None
    assert service_level(short, policy(AbandonTreatment.EXCLUDED)) is None
    assert service_level(short, policy(AbandonTreatment.COUNT_AGAINST)) == 0.0


def test_occupancy_and_utilisation() -> None:
    team = [
        AgentTime(1, busy_seconds=600, wrap_up_seconds=60, ready_seconds=240),
        AgentTime(2, busy_seconds=300, ready_seconds=600, not_ready_seconds=900),
    ]
    assert occupancy(team) == pytest.approx(960 / 1800)
    assert utilisation(team[0]) == pytest.approx(660 / 900)
    assert utilisation(team[1]) == pytest.approx(300 / 1800)
    assert occupancy([]) is None
    assert occupancy([AgentTime(3, not_ready_seconds=60)]) is None
    assert utilisation(AgentTime(4)) is None


def test_agents_by_state_counts_names() -> None:
    assert agents_by_state(["busy", "ready", "busy"]) == {"busy": 2, "ready": 1}
    assert agents_by_state([]) == {}


def test_a_contact_belongs_to_the_half_open_interval_it_arrived_in() -> None:
    calls = [
        ContactOutcome(1, 0.0, answered_at=1.0),
        ContactOutcome(1, 899.9, answered_at=930.0),  # answered in the next interval
        ContactOutcome(1, 900.0, abandoned_at=901.0),  # exactly on the edge: the second
        ContactOutcome(1, 1800.0, answered_at=1801.0),  # at the end: left out
        ContactOutcome(1, -1.0, answered_at=0.0),  # before the start: left out
    ]
    buckets = bucket(calls, 0.0, 1800.0, 900.0)
    assert [len(contacts) for contacts in buckets] == [2, 1]
    intervals = per_interval(calls, 0.0, 1800.0, 900.0)
    assert [(i.start, i.end) for i in intervals] == [(0.0, 900.0), (900.0, 1800.0)]
    assert intervals[0].summary.service_level == 0.5  # the second call waited 30.1 s
    assert intervals[1].summary.abandonment_rate == 1.0


def test_a_short_last_interval_is_cut_at_the_end() -> None:
    intervals = per_interval([], 0.0, 1000.0, 900.0)
    assert [(i.start, i.end) for i in intervals] == [(0.0, 900.0), (900.0, 1000.0)]
    assert intervals[1].summary.offered == 0
    assert intervals[1].summary.service_level is None


def test_summary_of_the_day() -> None:
    day = summarise(CONTACTS, policy(AbandonTreatment.COUNT_AGAINST))
    assert (day.offered, day.answered, day.abandoned, day.handled) == (6, 3, 2, 2)
    assert day.service_level == pytest.approx(0.4)
    assert day.asa_seconds == pytest.approx(20.0)


@pytest.mark.parametrize(
    ("build", "argument"),
    [
        (lambda: ContactOutcome(1, 10, answered_at=5), "answered_at"),
        (lambda: ContactOutcome(1, 10, abandoned_at=5), "abandoned_at"),
        (lambda: ContactOutcome(1, 0, answered_at=1, abandoned_at=2), "abandoned_at"),
        (lambda: ContactOutcome(1, 0, ended_at=3), "ended_at"),
        (lambda: ContactOutcome(1, 0, answered_at=1, ended_at=0.5), "ended_at"),
        (lambda: ContactOutcome(1, 0, answered_at=1, wrap_up_ended_at=2), "wrap_up_ended_at"),
        (lambda: AgentTime(1, busy_seconds=-1), "busy_seconds"),
        (lambda: ServiceLevelPolicy(target=0), "target"),
        (lambda: ServiceLevelPolicy(threshold_seconds=-1), "threshold_seconds"),
        (lambda: ServiceLevelPolicy(short_abandon_seconds=-1), "short_abandon_seconds"),
        (lambda: bucket([], 0, 10, 0), "interval_seconds"),
        (lambda: bucket([], 10, 0), "end"),
    ],
)
def test_bad_input_names_the_field(build: object, argument: str) -> None:
    assert callable(build)
    with pytest.raises(MetricsArgumentError) as caught:
        build()
    assert caught.value.argument == argument


def test_a_mapping_of_policies_counts_each_contact_under_its_own_queue() -> None:
    # Queue 1: 20 s, short abandons (< 5 s) ignored; queue 2: 30 s, abandons count against.
    policies = {
        1: ServiceLevelPolicy(AbandonTreatment.SHORT_IGNORED, threshold_seconds=20),
        2: ServiceLevelPolicy(AbandonTreatment.COUNT_AGAINST, threshold_seconds=30),
    }
    mixed = [
        ContactOutcome(1, 0, answered_at=25),  # 25 s > 20 s: late in queue 1
        ContactOutcome(2, 0, answered_at=25),  # 25 s <= 30 s: in time in queue 2
        ContactOutcome(1, 0, abandoned_at=3),  # short in queue 1: dropped
        ContactOutcome(2, 0, abandoned_at=3),  # counted in queue 2
    ]
    assert service_level(mixed, policies) == pytest.approx(1 / 3)
    assert abandonment_rate(mixed, policies) == pytest.approx(1 / 3)
    # Each queue alone agrees with its own policy.
    assert service_level(mixed[::2], policies) == service_level(mixed[::2], policies[1]) == 0.0
    assert service_level(mixed[1::2], policies) == service_level(mixed[1::2], policies[2]) == 0.5
