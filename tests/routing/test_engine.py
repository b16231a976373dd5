"""The routing engine, one behaviour at a time, through its public methods only."""

from __future__ import annotations

import doctest

import pytest

import frontline.routing.engine
from frontline.routing import (
    AgentConfig,
    AgentState,
    AgentStateChanged,
    Contact,
    Decision,
    Engine,
    EscalationMode,
    LeastBusyToday,
    NotReadyReason,
    Offer,
    OfferKind,
    OfferTimedOut,
    Overflowed,
    OverflowStep,
    QueueConfig,
    Requeued,
    RoutingArgumentError,
    SelectionPolicy,
    SkillRequirement,
    WrapUpEnded,
    WrapUpStarted,
)

SALES, BILLING, PRODUCT = 1, 2, 3  # skill ids
VOICE_Q, CHAT_Q, EMAIL_Q, BILLING_Q = 10, 11, 12, 13  # queue ids

QUEUES = (
    QueueConfig(
        VOICE_Q, "voice", (SkillRequirement(SALES, 4),),
        overflow=(
            OverflowStep(30.0, (SkillRequirement(SALES, 2),)),
            OverflowStep(90.0, (SkillRequirement(PRODUCT, 1),)),
        ),
        wrap_up_limit_seconds=60.0, offer_timeout_seconds=15.0,
    ),
    QueueConfig(CHAT_Q, "chat", (SkillRequirement(SALES, 1),)),
    QueueConfig(EMAIL_Q, "email", (SkillRequirement(SALES, 1),)),
    QueueConfig(BILLING_Q, "voice", (SkillRequirement(BILLING, 1),), priority=5.0),
)  # fmt: skip


def make_engine(policy: SelectionPolicy | None = None) -> Engine:
    return Engine(QUEUES, policy)


def ready_agent(
    engine: Engine,
    agent_id: int,
    skills: dict[int, int] | None = None,
    capacity: dict[str, int] | None = None,
    now: float = 0.0,
) -> list[Decision]:
    config = AgentConfig(agent_id, skills or {SALES: 5}, capacity or {"voice": 1})
    engine.agent_login(config, now)
    return engine.agent_ready(agent_id, now)


def offers(decisions: list[Decision]) -> list[tuple[int, int]]:
    return [(d.contact_id, d.agent_id) for d in decisions if isinstance(d, Offer)]


def test_docstring_examples_run() -> None:
    result = doctest.testmod(frontline.routing.engine, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


# --- configuration ----------------------------------------------------------------------


def test_bad_configuration_names_the_argument() -> None:
    with pytest.raises(RoutingArgumentError, match="min_proficiency") as error:
        SkillRequirement(SALES, 6)
    assert error.value.argument == "min_proficiency"
    with pytest.raises(RoutingArgumentError, match="channel"):
        QueueConfig(1, "pigeon")
    with pytest.raises(RoutingArgumentError, match="overflow"):
        QueueConfig(1, "voice", overflow=(OverflowStep(90.0), OverflowStep(30.0)))
    with pytest.raises(RoutingArgumentError, match="capacity"):
        AgentConfig(1, {}, {"voice": -1})
    with pytest.raises(RoutingArgumentError, match="skills"):
        AgentConfig(1, {SALES: 0}, {})


def test_unknown_ids_are_refused_by_name() -> None:
    engine = make_engine()
    with pytest.raises(RoutingArgumentError, match="queue_id 99"):
        engine.enqueue(Contact(1, 99), 0.0)
    with pytest.raises(RoutingArgumentError, match="agent_id 5"):
        engine.agent_ready(5, 0.0)
    with pytest.raises(RoutingArgumentError, match="contact_id 7"):
        engine.offer_accepted(7, 0.0)


# --- skills, capacity and blocking ------------------------------------------------------


def test_a_contact_goes_to_a_ready_agent_with_the_skill() -> None:
    engine = make_engine()
    ready_agent(engine, 1, {SALES: 3})  # below the queue's minimum of 4
    ready_agent(engine, 2, {SALES: 4})
    assert offers(engine.enqueue(Contact(100, VOICE_Q), 1.0)) == [(100, 2)]
    assert engine.agent_state(2) is AgentState.OFFERED
    assert engine.agent_state(1) is AgentState.READY


def test_login_is_not_ready_until_the_agent_says_ready() -> None:
    engine = make_engine()
    engine.agent_login(AgentConfig(1, {SALES: 5}, {"voice": 1}), 0.0)
    assert engine.agent_state(1) is AgentState.NOT_READY
    assert engine.enqueue(Contact(100, VOICE_Q), 1.0) == []
    assert offers(engine.agent_ready(1, 2.0)) == [(100, 1)]


def test_capacity_per_channel_is_never_exceeded() -> None:
    engine = make_engine()
    ready_agent(engine, 1, capacity={"chat": 3, "email": 5})
    chats = [engine.enqueue(Contact(100 + n, CHAT_Q), float(n)) for n in range(4)]
    assert [len(offers(d)) for d in chats] == [1, 1, 1, 0]
    emails = [engine.enqueue(Contact(200 + n, EMAIL_Q), 10.0) for n in range(6)]
    assert sum(len(offers(d)) for d in emails) == 5
    engine.offer_accepted(100, 11.0)
    engine.contact_ended(100, 12.0)  # wrap-up still holds the slot
    assert offers(engine.wrap_up_done(1, 100, 13.0)) == [(103, 1)]


def test_a_call_blocks_new_chats_but_chats_do_not_block_a_call() -> None:
    engine = make_engine()
    ready_agent(engine, 1, capacity={"voice": 1, "chat": 3})
    engine.enqueue(Contact(100, CHAT_Q), 0.0)
    assert offers(engine.enqueue(Contact(101, VOICE_Q), 1.0)) == [(101, 1)]
    assert engine.enqueue(Contact(102, CHAT_Q), 2.0) == []
    engine.offer_accepted(101, 3.0)
    engine.contact_ended(101, 4.0)
    # The chat waits through the call's wrap-up too, and is offered once it is done.
    assert offers(engine.wrap_up_done(1, 101, 5.0)) == [(102, 1)]


# --- priorities, aging, FIFO ------------------------------------------------------------


def test_fifo_within_a_queue_and_higher_priority_first() -> None:
    engine = make_engine()
    for contact in (Contact(100, VOICE_Q), Contact(101, VOICE_Q), Contact(102, VOICE_Q, 1.0)):
        engine.enqueue(contact, float(contact.contact_id - 100))
    got = [offers(ready_agent(engine, n, now=3.0))[0][0] for n in (1, 2, 3)]
    assert got == [102, 100, 101]


def test_aging_lets_an_old_contact_overtake_a_higher_priority_queue() -> None:
    queues = (
        QueueConfig(1, "voice", priority=0.0, aging_per_second=1.0),
        QueueConfig(2, "voice", priority=10.0),
    )
    engine = Engine(queues)
    engine.enqueue(Contact(100, 1), 0.0)
    engine.enqueue(Contact(101, 2), 5.0)
    # At 8 s contact 100 has 0 + 8 = 8 < 10: the priority queue wins.
    assert offers(ready_agent(engine, 1, {}, now=8.0)) == [(101, 1)]
    engine.enqueue(Contact(102, 2), 9.0)
    # At 12 s contact 100 has 12 > 10.
    assert offers(ready_agent(engine, 2, {}, now=12.0)) == [(100, 2)]


# --- overflow ---------------------------------------------------------------------------


def test_overflow_steps_widen_the_group_at_their_times() -> None:
    engine = make_engine()
    ready_agent(engine, 1, {SALES: 2})
    ready_agent(engine, 2, {PRODUCT: 1})
    assert engine.enqueue(Contact(100, VOICE_Q), 0.0) == []
    assert engine.tick(29.9) == []
    assert engine.tick(30.0) == [
        Overflowed(100, VOICE_Q, 1, 30.0),
        Offer(100, 1, VOICE_Q, 30.0),
    ]
    engine.offer_rejected(100, 31.0)  # back in the queue; agent 1 is not asked again
    assert engine.tick(89.0) == []
    assert engine.tick(90.0) == [Overflowed(100, VOICE_Q, 2, 90.0), Offer(100, 2, VOICE_Q, 90.0)]


def test_an_overflow_step_first_reached_ranks_agents_as_they_are_then() -> None:
    # The engine starts keeping an overflow step's agents only when a contact first
    # reaches it; who is free and who idled longest must count as of that moment.
    engine = make_engine()
    engine.enqueue(Contact(100, VOICE_Q), 0.0)  # nobody has SALES: it waits for overflow
    ready_agent(engine, 3, {PRODUCT: 3, BILLING: 1}, now=0.0)
    ready_agent(engine, 2, {PRODUCT: 3}, now=5.0)
    ready_agent(engine, 4, {PRODUCT: 5}, now=6.0)
    engine.agent_not_ready(4, NotReadyReason.LUNCH, 7.0)
    assert offers(engine.enqueue(Contact(200, BILLING_Q), 10.0)) == [(200, 3)]
    engine.offer_accepted(200, 11.0)
    engine.contact_ended(200, 20.0)
    engine.wrap_up_done(3, 200, 25.0)  # agent 3 is idle since 25, agent 2 since 5
    engine.tick(30.0)
    assert offers(engine.tick(90.0)) == [(100, 2)]


def test_the_queues_own_group_is_preferred_to_the_overflow_group() -> None:
    engine = make_engine()
    engine.enqueue(Contact(100, VOICE_Q), 0.0)
    engine.tick(100.0)
    ready_agent(engine, 1, {PRODUCT: 5}, now=100.0)  # takes it: overflow reached them
    ready_agent(engine, 2, {SALES: 5}, now=100.0)
    ready_agent(engine, 3, {PRODUCT: 5}, now=100.0)
    assert offers(engine.enqueue(Contact(101, VOICE_Q), 101.0)) == [(101, 2)]


# --- offers: time-outs and refusals -----------------------------------------------------


def test_a_timed_out_offer_requeues_at_the_original_place() -> None:
    engine = make_engine()
    ready_agent(engine, 1)
    engine.enqueue(Contact(100, VOICE_Q), 0.0)
    engine.enqueue(Contact(101, VOICE_Q), 1.0)
    assert engine.next_due() == 15.0
    assert engine.tick(15.0) == [
        OfferTimedOut(100, 1, 15.0),
        AgentStateChanged(1, engine.agents[1].presence, NotReadyReason.MISSED_OFFER, 15.0),
        Requeued(100, VOICE_Q, 15.0),
    ]
    assert engine.agent_state(1) is AgentState.NOT_READY
    # Contact 100 is still ahead of 101, which arrived later.
    assert offers(ready_agent(engine, 2, now=16.0)) == [(100, 2)]
    snapshot = {c.contact_id: c for c in engine.snapshot().contacts}
    assert (snapshot[100].seq, snapshot[100].enqueued_at) == (1, 0.0)


def test_an_accepted_offer_does_not_time_out() -> None:
    engine = make_engine()
    ready_agent(engine, 1)
    engine.enqueue(Contact(100, VOICE_Q), 0.0)
    engine.offer_accepted(100, 1.0)
    assert engine.tick(1_000.0) == []
    assert engine.agent_state(1) is AgentState.BUSY


def test_a_rejected_offer_goes_to_the_next_agent() -> None:
    engine = make_engine()
    ready_agent(engine, 1, now=0.0)
    ready_agent(engine, 2, now=1.0)
    assert offers(engine.enqueue(Contact(100, VOICE_Q), 2.0)) == [(100, 1)]  # idle longest
    decisions = engine.offer_rejected(100, 3.0)
    assert decisions == [Requeued(100, VOICE_Q, 3.0), Offer(100, 2, VOICE_Q, 3.0)]
    assert engine.agent_state(1) is AgentState.READY


# --- wrap-up ----------------------------------------------------------------------------


def test_wrap_up_ends_at_the_queues_limit_or_when_the_agent_is_done() -> None:
    engine = make_engine()
    ready_agent(engine, 1)
    engine.enqueue(Contact(100, VOICE_Q), 0.0)
    engine.offer_accepted(100, 1.0)
    assert engine.agent_state(1) is AgentState.BUSY
    assert engine.contact_ended(100, 50.0) == [WrapUpStarted(1, 100, 50.0, 60.0)]
    assert engine.agent_state(1) is AgentState.WRAP_UP
    assert engine.tick(109.0) == []
    engine.enqueue(Contact(101, VOICE_Q), 109.5)
    assert engine.tick(110.0) == [WrapUpEnded(1, 100, 110.0, True), Offer(101, 1, VOICE_Q, 110.0)]
    engine.offer_accepted(101, 111.0)
    engine.contact_ended(101, 120.0)
    assert engine.wrap_up_done(1, 101, 125.0) == [WrapUpEnded(1, 101, 125.0, False)]
    assert engine.agent_state(1) is AgentState.READY


# --- not ready and logout ---------------------------------------------------------------


@pytest.mark.parametrize("reason", list(NotReadyReason))
def test_not_ready_stops_offers_and_keeps_its_reason(reason: NotReadyReason) -> None:
    engine = make_engine()
    ready_agent(engine, 1)
    engine.agent_not_ready(1, reason, 1.0)
    assert engine.enqueue(Contact(100, VOICE_Q), 2.0) == []
    assert engine.agent_state(1) is AgentState.NOT_READY
    assert engine.snapshot().agents[0].reason is reason


def test_logout_is_refused_with_work_in_hand() -> None:
    engine = make_engine()
    ready_agent(engine, 1)
    engine.enqueue(Contact(100, VOICE_Q), 0.0)
    with pytest.raises(RoutingArgumentError, match="contacts in hand"):
        engine.agent_logout(1, 1.0)
    engine.offer_rejected(100, 2.0)
    assert engine.agent_logout(1, 3.0) == []
    assert engine.agent_state(1) is AgentState.LOGGED_OUT


def test_an_abandoned_contact_leaves_the_queue_and_frees_its_offer() -> None:
    engine = make_engine()
    engine.enqueue(Contact(100, VOICE_Q), 0.0)
    engine.enqueue(Contact(101, VOICE_Q), 1.0)
    assert engine.contact_ended(100, 2.0) == []  # hung up while waiting
    ready_agent(engine, 1, now=3.0)  # offered 101
    ready_agent(engine, 2, now=3.0)
    engine.enqueue(Contact(102, VOICE_Q), 4.0)  # offered to 2
    assert engine.contact_ended(102, 5.0) == []  # hung up while ringing
    assert engine.agent_state(2) is AgentState.READY


# --- transfers and escalation -----------------------------------------------------------


def busy_with(engine: Engine, agent_id: int, contact_id: int, queue_id: int = VOICE_Q) -> None:
    engine.enqueue(Contact(contact_id, queue_id), 0.0)
    engine.offer_accepted(contact_id, 1.0)
    assert engine.agent_state(agent_id) is AgentState.BUSY


def test_transfer_to_a_queue_wraps_up_the_agent_and_routes_anew() -> None:
    engine = make_engine()
    ready_agent(engine, 1)
    ready_agent(engine, 2, {BILLING: 1}, now=1.0)
    busy_with(engine, 1, 100)
    assert engine.transfer_to_queue(100, BILLING_Q, 10.0) == [
        WrapUpStarted(1, 100, 10.0, 60.0),
        Offer(100, 2, BILLING_Q, 10.0, OfferKind.TRANSFER),
    ]
    engine.offer_accepted(100, 11.0)
    with pytest.raises(RoutingArgumentError, match="queue_id"):
        engine.transfer_to_queue(100, CHAT_Q, 12.0)


def test_transfer_to_a_person_waits_for_that_person() -> None:
    engine = make_engine()
    ready_agent(engine, 1)
    engine.agent_login(AgentConfig(2, {}, {"voice": 1}), 0.0)
    busy_with(engine, 1, 100)
    decisions = engine.transfer_to_agent(100, 2, 10.0)
    assert decisions == [WrapUpStarted(1, 100, 10.0, 60.0)]
    assert offers(engine.agent_ready(2, 20.0)) == [(100, 2)]
    # Refused, it falls back to its queue, where agent 1 (done wrapping up) takes it.
    engine.wrap_up_done(1, 100, 21.0)
    assert offers(engine.offer_rejected(100, 22.0)) == [(100, 1)]


def test_cold_escalation_lets_go_at_once() -> None:
    engine = make_engine()
    ready_agent(engine, 1)
    ready_agent(engine, 9, {}, {"voice": 1})  # the supervisor
    busy_with(engine, 1, 100)
    decisions = engine.escalate(100, 9, EscalationMode.COLD, 10.0)
    assert decisions == [
        WrapUpStarted(1, 100, 10.0, 60.0),
        Offer(100, 9, VOICE_Q, 10.0, OfferKind.COLD_ESCALATION),
    ]


def test_warm_escalation_keeps_the_agent_until_the_supervisor_answers() -> None:
    engine = make_engine()
    ready_agent(engine, 1)
    ready_agent(engine, 9, {}, {"voice": 1})
    busy_with(engine, 1, 100)
    assert offers(engine.escalate(100, 9, EscalationMode.WARM, 10.0)) == [(100, 9)]
    assert engine.agent_state(1) is AgentState.BUSY
    assert engine.offer_rejected(100, 11.0) == []  # declined: the agent carries on
    assert engine.agent_state(1) is AgentState.BUSY
    engine.escalate(100, 9, EscalationMode.WARM, 12.0)
    assert engine.offer_accepted(100, 13.0) == [WrapUpStarted(1, 100, 13.0, 60.0)]
    assert engine.agent_state(9) is AgentState.BUSY


def test_cannot_transfer_to_oneself_or_someone_without_the_channel() -> None:
    engine = make_engine()
    ready_agent(engine, 1)
    ready_agent(engine, 2, {}, {"email": 1})
    busy_with(engine, 1, 100)
    for target in (1, 2):
        with pytest.raises(RoutingArgumentError, match="agent_id"):
            engine.transfer_to_agent(100, target, 5.0)


# --- selection policies -----------------------------------------------------------------


def test_longest_idle_among_the_best_proficiency() -> None:
    engine = make_engine()
    ready_agent(engine, 1, {SALES: 4}, now=0.0)  # idle longest, but less proficient
    ready_agent(engine, 2, {SALES: 5}, now=5.0)
    ready_agent(engine, 3, {SALES: 5}, now=3.0)
    assert offers(engine.enqueue(Contact(100, VOICE_Q), 10.0)) == [(100, 3)]
    assert offers(engine.enqueue(Contact(101, VOICE_Q), 10.0)) == [(101, 2)]
    assert offers(engine.enqueue(Contact(102, VOICE_Q), 10.0)) == [(102, 1)]


def test_least_busy_today_ignores_proficiency() -> None:
    engine = make_engine(LeastBusyToday())
    ready_agent(engine, 1, {SALES: 5}, now=0.0)
    ready_agent(engine, 2, {SALES: 4}, now=1.0)
    busy_with(engine, 1, 100)  # agent 1: 1 s to 101 s busy
    engine.contact_ended(100, 101.0)
    engine.wrap_up_done(1, 100, 111.0)
    assert offers(engine.enqueue(Contact(101, VOICE_Q), 200.0)) == [(101, 2)]
    assert offers(engine.enqueue(Contact(102, VOICE_Q), 200.0)) == [(102, 1)]


def test_least_busy_today_counts_a_contact_as_soon_as_wrap_up_starts() -> None:
    engine = make_engine(LeastBusyToday())
    ready_agent(engine, 1, capacity={"chat": 1, "email": 1}, now=0.0)
    ready_agent(engine, 2, capacity={"email": 1}, now=1.0)
    busy_with(engine, 1, 100, CHAT_Q)  # agent 1: 1 s to 101 s busy, still free for e-mail
    engine.contact_ended(100, 101.0)
    assert offers(engine.enqueue(Contact(101, EMAIL_Q), 102.0)) == [(101, 2)]


def test_a_new_day_forgets_yesterdays_busy_seconds() -> None:
    engine = make_engine(LeastBusyToday())
    ready_agent(engine, 1, {SALES: 5}, now=0.0)
    ready_agent(engine, 2, {SALES: 4}, now=1.0)
    busy_with(engine, 1, 100)
    engine.contact_ended(100, 101.0)
    engine.wrap_up_done(1, 100, 111.0)
    engine.start_new_day(86_400.0)
    # Even again, so the longest idle (agent 2, ready since 1 s) is first.
    assert offers(engine.enqueue(Contact(101, VOICE_Q), 86_401.0)) == [(101, 2)]
