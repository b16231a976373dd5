"""The routing engine's invariants, checked after every step of random operation sequences.

A Hypothesis state machine logs agents in and out, changes their presence, enqueues,
accepts, refuses, times out, ends, wraps up, transfers and escalates contacts, and lets
time pass. After every step the engine's snapshot is checked against an oracle written
here from the rules, independent of the engine's indexes:

* no agent holds more contacts on a channel than its capacity;
* no contact is offered to two agents, or in two agents' hands, at once;
* no ready agent with a free slot is left idle while a contact it may take waits;
* an agent is offered, from a queue, the contact that queue would serve first (FIFO
  within a priority, with aging);
* a restarted engine (``Engine.restore`` of a snapshot taken at a random moment) makes
  exactly the same decisions as the original from then on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from frontline.routing import (
    AgentConfig,
    AgentSnapshot,
    Contact,
    ContactSnapshot,
    Decision,
    Engine,
    EscalationMode,
    LeastBusyToday,
    LongestIdleBestProficiency,
    NotReadyReason,
    Offer,
    OverflowStep,
    Phase,
    Presence,
    QueueConfig,
    SelectionPolicy,
    SkillRequirement,
    Snapshot,
)

QUEUES = (
    QueueConfig(
        1, "voice", (SkillRequirement(1, 3),), aging_per_second=0.5,
        overflow=(
            OverflowStep(10.0, (SkillRequirement(1, 1),)),
            OverflowStep(30.0, (SkillRequirement(2, 1),)),
        ),
        wrap_up_limit_seconds=20.0, offer_timeout_seconds=8.0,
    ),
    QueueConfig(2, "voice", (SkillRequirement(2, 2),), priority=3.0),
    QueueConfig(3, "chat", (SkillRequirement(1, 1), SkillRequirement(3, 2)), aging_per_second=1.0),
    QueueConfig(4, "email", (), overflow=(OverflowStep(0.0, ()),)),
)  # fmt: skip
QUEUE_BY_ID = {queue.queue_id: queue for queue in QUEUES}
AGENT_IDS = range(1, 7)

skill_maps = st.dictionaries(st.integers(1, 3), st.integers(1, 5), min_size=1, max_size=3)
capacities = st.fixed_dictionaries(
    {"voice": st.integers(0, 1), "chat": st.integers(0, 3), "email": st.integers(0, 2)}
)
# Multiples of 0.5 s keep every time and effective priority exact in binary floating point.
steps_seconds = st.integers(1, 40).map(lambda halves: halves / 2)


def has_free_slot(agent: AgentSnapshot, channel: str) -> bool:
    load = Counter(item.channel for item in agent.work)
    if agent.presence is not Presence.READY:
        return False
    if load[channel] >= agent.config.capacity.get(channel, 0):
        return False
    return not (channel == "chat" and load["voice"])


def may_take(agent: AgentSnapshot, contact: ContactSnapshot, now: float) -> bool:
    """The routing rules, restated: skills per stage reached by time, targets, refusals."""
    if agent.config.agent_id in contact.rejected_by:
        return False
    if any(item.contact_id == contact.contact_id for item in agent.work):
        return False  # still wrapping up an earlier leg of it
    if contact.target_agent_id is not None:
        return contact.target_agent_id == agent.config.agent_id
    queue = QUEUE_BY_ID[contact.queue_id]
    waited = now - contact.enqueued_at
    groups = [queue.requirements]
    groups += [step.requirements for step in queue.overflow if step.after_seconds <= waited]
    return any(agent.config.meets(group) for group in groups)


def queue_order(contact: ContactSnapshot) -> tuple[float, int]:
    return (QUEUE_BY_ID[contact.queue_id].aging_per_second * contact.enqueued_at
            - contact.priority, contact.seq)  # fmt: skip


class RoutingMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0
        self.next_contact_id = 1000
        self.policy: SelectionPolicy = LongestIdleBestProficiency()
        self.engines = [Engine(QUEUES, self.policy)]
        self.last: list[Decision] = []

    @property
    def state(self) -> Snapshot:
        return self.engines[0].snapshot()

    def apply(self, operation: Callable[[Engine], list[Decision]]) -> None:
        """Run ``operation`` on the engine and on its restarted twin; they must agree."""
        results = [operation(engine) for engine in self.engines]
        assert all(result == results[0] for result in results)
        self.last = results[0]

    def agents(self, where: Callable[[AgentSnapshot], bool]) -> list[AgentSnapshot]:
        return [agent for agent in self.state.agents if where(agent)]

    def contacts(self, where: Callable[[ContactSnapshot], bool]) -> list[ContactSnapshot]:
        return [contact for contact in self.state.contacts if where(contact)]

    # --- rules --------------------------------------------------------------------------

    @initialize(least_busy=st.booleans())
    def choose_policy(self, least_busy: bool) -> None:
        self.policy = LeastBusyToday() if least_busy else LongestIdleBestProficiency()
        self.engines = [Engine(QUEUES, self.policy)]

    @rule(
        agent_id=st.sampled_from(AGENT_IDS),
        skills=skill_maps,
        capacity=capacities,
        ready=st.booleans(),
    )
    def login(
        self, agent_id: int, skills: dict[int, int], capacity: dict[str, int], ready: bool
    ) -> None:
        if agent_id not in {agent.config.agent_id for agent in self.state.agents}:
            config = AgentConfig(agent_id, skills, capacity)
            self.apply(lambda engine: engine.agent_login(config, self.now))
            if ready:
                self.apply(lambda engine: engine.agent_ready(agent_id, self.now))

    @precondition(lambda self: self.state.agents)
    @rule(data=st.data(), reason=st.none() | st.sampled_from(NotReadyReason))
    def presence(self, data: st.DataObject, reason: NotReadyReason | None) -> None:
        agent_id = data.draw(st.sampled_from(self.state.agents)).config.agent_id
        if reason is None:
            self.apply(lambda engine: engine.agent_ready(agent_id, self.now))
        else:
            self.apply(lambda engine: engine.agent_not_ready(agent_id, reason, self.now))

    @precondition(lambda self: self.agents(lambda agent: not agent.work))
    @rule(data=st.data())
    def logout(self, data: st.DataObject) -> None:
        agent = data.draw(st.sampled_from(self.agents(lambda agent: not agent.work)))
        self.apply(lambda engine: engine.agent_logout(agent.config.agent_id, self.now))

    @rule(queue_id=st.sampled_from(sorted(QUEUE_BY_ID)), priority=st.sampled_from([0.0, 2.0]))
    def enqueue(self, queue_id: int, priority: float) -> None:
        contact = Contact(self.next_contact_id, queue_id, priority)
        self.next_contact_id += 1
        self.apply(lambda engine: engine.enqueue(contact, self.now))

    def offered(self) -> list[ContactSnapshot]:
        return self.contacts(lambda c: c.offered_to is not None)

    @precondition(lambda self: self.offered())
    @rule(data=st.data())
    def accept(self, data: st.DataObject) -> None:
        contact_id = data.draw(st.sampled_from(self.offered())).contact_id
        self.apply(lambda engine: engine.offer_accepted(contact_id, self.now))

    @precondition(lambda self: self.offered())
    @rule(data=st.data(), refused=st.booleans())
    def no_answer(self, data: st.DataObject, refused: bool) -> None:
        contact_id = data.draw(st.sampled_from(self.offered())).contact_id
        self.apply(
            lambda engine: (
                engine.offer_rejected(contact_id, self.now)
                if refused
                else engine.offer_timed_out(contact_id, self.now)
            )
        )

    @precondition(lambda self: self.state.contacts)
    @rule(data=st.data())
    def end(self, data: st.DataObject) -> None:
        contact_id = data.draw(st.sampled_from(self.state.contacts)).contact_id
        self.apply(lambda engine: engine.contact_ended(contact_id, self.now))

    @precondition(lambda self: self.agents(lambda a: any(w.phase is Phase.WRAP_UP for w in a.work)))
    @rule(data=st.data())
    def wrap_up_done(self, data: st.DataObject) -> None:
        pairs = [
            (agent.config.agent_id, item.contact_id)
            for agent in self.state.agents
            for item in agent.work
            if item.phase is Phase.WRAP_UP
        ]
        agent_id, contact_id = data.draw(st.sampled_from(pairs))
        self.apply(lambda engine: engine.wrap_up_done(agent_id, contact_id, self.now))

    def handled(self) -> list[ContactSnapshot]:
        return self.contacts(lambda c: c.handler_id is not None and c.target_agent_id is None)

    @precondition(lambda self: self.handled())
    @rule(data=st.data())
    def transfer_to_queue(self, data: st.DataObject) -> None:
        contact = data.draw(st.sampled_from(self.handled()))
        channel = QUEUE_BY_ID[contact.queue_id].channel
        same_channel = [q.queue_id for q in QUEUES if q.channel == channel]
        queue_id = data.draw(st.sampled_from(same_channel))
        self.apply(lambda engine: engine.transfer_to_queue(contact.contact_id, queue_id, self.now))

    @precondition(lambda self: self.handled())
    @rule(data=st.data(), how=st.sampled_from(["transfer", "warm", "cold"]))
    def hand_to_person(self, data: st.DataObject, how: str) -> None:
        contact = data.draw(st.sampled_from(self.handled()))
        channel = QUEUE_BY_ID[contact.queue_id].channel
        targets = [
            agent.config.agent_id
            for agent in self.state.agents
            if agent.config.capacity.get(channel, 0) > 0
            and agent.config.agent_id != contact.handler_id
        ]
        if targets:
            target = data.draw(st.sampled_from(targets))
            contact_id = contact.contact_id
            self.apply(
                lambda engine: (
                    engine.transfer_to_agent(contact_id, target, self.now)
                    if how == "transfer"
                    else engine.escalate(contact_id, target, EscalationMode(how), self.now)
                )
            )

    @rule(seconds=steps_seconds)
    def time_passes(self, seconds: float) -> None:
        self.now += seconds
        self.apply(lambda engine: engine.tick(self.now))

    @rule()
    def restart(self) -> None:
        snapshot = self.state
        twin = Engine.restore(QUEUES, snapshot, self.policy)
        assert twin.snapshot() == snapshot
        self.engines = [self.engines[0], twin]

    # --- invariants ---------------------------------------------------------------------

    @invariant()
    def twins_agree(self) -> None:
        assert all(engine.snapshot() == self.state for engine in self.engines)

    @invariant()
    def no_agent_above_capacity(self) -> None:
        for agent in self.state.agents:
            load = Counter(item.channel for item in agent.work)
            assert all(n <= agent.config.capacity.get(ch, 0) for ch, n in load.items())

    @invariant()
    def no_contact_offered_or_handled_twice(self) -> None:
        phases = Counter(
            (item.contact_id, item.phase)
            for agent in self.state.agents
            for item in agent.work
            if item.phase is not Phase.WRAP_UP  # a transferred contact's old leg may linger
        )
        assert all(count == 1 for count in phases.values())

    @invariant()
    def contacts_are_where_they_say(self) -> None:
        work = {
            (agent.config.agent_id, item.contact_id): item.phase
            for agent in self.state.agents
            for item in agent.work
        }
        for contact in self.state.contacts:
            if contact.handler_id is not None:
                assert work[contact.handler_id, contact.contact_id] is Phase.BUSY
            if contact.offered_to is not None:
                assert work[contact.offered_to, contact.contact_id] is Phase.OFFERED
                assert not contact.waiting
        in_hand = {key for key, phase in work.items() if phase is not Phase.WRAP_UP}
        claimed = {(c.handler_id, c.contact_id) for c in self.state.contacts}
        claimed |= {(c.offered_to, c.contact_id) for c in self.state.contacts}
        assert in_hand <= claimed

    @invariant()
    def everything_matchable_is_matched(self) -> None:
        waiting = self.contacts(lambda c: c.waiting)
        for agent in self.state.agents:
            for contact in waiting:
                channel = QUEUE_BY_ID[contact.queue_id].channel
                free = has_free_slot(agent, channel)
                assert not (free and may_take(agent, contact, self.now)), (agent, contact)

    @invariant()
    def queue_offers_take_the_queues_first_contact(self) -> None:
        contacts = {contact.contact_id: contact for contact in self.state.contacts}
        agents = {agent.config.agent_id: agent for agent in self.state.agents}
        for offer in (d for d in self.last if isinstance(d, Offer)):
            offered = contacts.get(offer.contact_id)
            if offered is None or offered.offered_to != offer.agent_id:
                continue  # already answered within the same step
            if offered.target_agent_id is not None:
                continue  # personal: not in a queue's order
            same_queue = [
                c
                for c in self.state.contacts
                if c.waiting and c.queue_id == offered.queue_id and c.target_agent_id is None
            ]
            for other in same_queue:
                if may_take(agents[offer.agent_id], other, self.now):
                    assert queue_order(offered) < queue_order(other), (offered, other)


RoutingMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=50, deadline=None)
TestRoutingInvariants = RoutingMachine.TestCase
