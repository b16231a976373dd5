"""The skill-based routing engine: a pure core holding agents, queues and waiting contacts.

Every method takes ``now``, the time in float seconds (the shell passes
``datetime.timestamp()`` of an aware UTC datetime, or a simulator's clock), and returns
the decisions it caused, in order. Nothing here reads a clock, a database or settings.
After every call everything matchable is matched: no agent able to take a waiting
contact is left without it. Time-driven changes (offer time-outs, wrap-up limits,
overflow steps) happen in :meth:`Engine.tick`; :meth:`Engine.next_due` says when to call it.

>>> from frontline.routing import AgentConfig, Contact, Engine, QueueConfig, SkillRequirement
>>> engine = Engine([QueueConfig(1, "voice", (SkillRequirement(7, 2),))])
>>> engine.agent_login(AgentConfig(10, skills={7: 3}, capacity={"voice": 1}), now=0.0)
[]
>>> engine.agent_ready(10, now=0.0)
[]
>>> engine.enqueue(Contact(contact_id=100, queue_id=1), now=5.0)
[Offer(contact_id=100, agent_id=10, queue_id=1, at=5.0, kind=<OfferKind.QUEUE: 'queue'>)]
>>> engine.offer_accepted(100, now=7.0)
[]
>>> engine.contact_ended(100, now=60.0)
[WrapUpStarted(agent_id=10, contact_id=100, at=60.0, limit_seconds=120.0)]
>>> engine.tick(now=180.0)
[WrapUpEnded(agent_id=10, contact_id=100, at=180.0, forced=True)]
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable

from frontline.routing.model import (
    AgentConfig,
    AgentState,
    AgentStateChanged,
    Contact,
    Decision,
    EscalationMode,
    NotReadyReason,
    Offer,
    OfferKind,
    OfferTimedOut,
    Overflowed,
    Phase,
    Presence,
    QueueConfig,
    Requeued,
    RoutingArgumentError,
    Snapshot,
    WrapUpEnded,
    WrapUpStarted,
)
from frontline.routing.policies import (
    AgentIndex,
    AgentRecord,
    LongestIdleBestProficiency,
    SelectionPolicy,
    WorkItem,
)
from frontline.routing.waiting import ContactRecord, WaitingIndex

__all__ = ["Engine"]


class Engine:
    """Routing state and the operations on it; see the module docstring."""

    def __init__(
        self, queues: Iterable[QueueConfig], policy: SelectionPolicy | None = None
    ) -> None:
        self.queues = {queue.queue_id: queue for queue in queues}
        self.agents: dict[int, AgentRecord] = {}
        self.contacts: dict[int, ContactRecord] = {}
        self.index = AgentIndex(
            policy or LongestIdleBestProficiency(), self.agents, self.queues.values()
        )
        self.waiting = WaitingIndex(self.queues, self.contacts)
        # (due, contact id, agent id, token): offer time-outs and wrap-up limits
        self.deadlines: list[tuple[float, int, int, int]] = []
        self.next_seq = 1
        self._tokens = itertools.count(1)

    # --- agents ---------------------------------------------------------------------

    def agent_login(self, config: AgentConfig, now: float) -> list[Decision]:
        """Log an agent in, not ready (reason ``login``) until :meth:`agent_ready`."""
        if config.agent_id in self.agents:
            raise RoutingArgumentError("agent_id", f"{config.agent_id} is already logged in")
        agent = AgentRecord(config, Presence.NOT_READY, NotReadyReason.LOGIN, now)
        agent.queues = self._queues_for(config)
        self.agents[config.agent_id] = agent
        return []

    def agent_ready(self, agent_id: int, now: float) -> list[Decision]:
        agent = self._agent(agent_id)
        if agent.presence is not Presence.READY:
            agent.presence, agent.reason, agent.idle_since = Presence.READY, None, now
            self.index.publish(agent)
        out: list[Decision] = []
        self._fill(agent, now, out)
        return out

    def agent_not_ready(self, agent_id: int, reason: NotReadyReason, now: float) -> list[Decision]:
        """No new offers; contacts in hand and pending offers stay."""
        agent = self._agent(agent_id)
        agent.presence, agent.reason = Presence.NOT_READY, reason
        self.index.publish(agent)
        return []

    def agent_logout(self, agent_id: int, now: float) -> list[Decision]:
        """Refused while the agent has work in hand; contacts waiting for them re-queue."""
        agent = self._agent(agent_id)
        if agent.work:
            raise RoutingArgumentError("agent_id", f"{agent_id} still has contacts in hand")
        self.index.forget(agent)
        del self.agents[agent_id]
        out: list[Decision] = []
        requeued = []
        for contact in self.waiting.take_personal(agent_id):
            contact.target_agent_id = None
            if contact.handler_id is None:  # a warm escalation simply stays with its agent
                out.append(Requeued(contact.contact_id, contact.queue_id, now))
                self._wait(contact, now, out, route=False)
                requeued.append(contact)
        self._route_all(requeued, now, out)
        return out

    def start_new_day(self, now: float) -> list[Decision]:
        """Zero every agent's handled seconds, which ``LeastBusyToday`` ranks by."""
        for agent in self.agents.values():
            agent.busy_seconds_today = 0.0
            self.index.publish(agent)
        return []

    def agent_state(self, agent_id: int) -> AgentState:
        agent = self.agents.get(agent_id)
        if agent is None:
            return AgentState.LOGGED_OUT
        phases = {item.phase for item in agent.work.values()}
        for phase in (Phase.OFFERED, Phase.BUSY, Phase.WRAP_UP):
            if phase in phases:
                return AgentState(phase.value)
        return AgentState(agent.presence.value)

    # --- contacts -------------------------------------------------------------------

    def enqueue(self, contact: Contact, now: float) -> list[Decision]:
        queue = self._queue(contact.queue_id)
        if contact.contact_id in self.contacts:
            raise RoutingArgumentError("contact_id", f"{contact.contact_id} is already routed")
        record = ContactRecord(
            contact.contact_id, queue.queue_id, queue.channel, contact.priority, self._seq(), now
        )
        self.contacts[contact.contact_id] = record
        out: list[Decision] = []
        self._wait(record, now, out)
        return out

    def offer_accepted(self, contact_id: int, now: float) -> list[Decision]:
        contact, agent, item = self._offered(contact_id)
        out: list[Decision] = []
        if contact.handler_id is not None:  # a warm escalation: the first agent lets go
            self._start_wrap_up(self.agents[contact.handler_id], contact, now, out)
        item.phase, item.since, item.deadline = Phase.BUSY, now, None
        item.token = next(self._tokens)  # the offer's time-out no longer applies

        contact.handler_id, contact.offered_to, contact.target_agent_id = (
            agent.config.agent_id, None, None,
        )  # fmt: skip
        return out

    def offer_rejected(self, contact_id: int, now: float) -> list[Decision]:
        """The contact goes back to its original place; this agent is not offered it again."""
        contact, agent, _ = self._offered(contact_id)
        contact.rejected_by.add(agent.config.agent_id)
        if contact.target_agent_id == agent.config.agent_id:
            contact.target_agent_id = None  # a refused transfer falls back to the queue
        return self._withdraw_offer(contact, agent, now)

    def offer_timed_out(self, contact_id: int, now: float, route: bool = True) -> list[Decision]:
        """As :meth:`tick` does when an offer's time runs out; the agent turns not ready.

        ``route=False`` only puts the contact back in its place (``tick`` routes all the
        contacts it put back together, best first).
        """
        contact, agent, _ = self._offered(contact_id)
        agent.presence, agent.reason = Presence.NOT_READY, NotReadyReason.MISSED_OFFER
        out: list[Decision] = [
            OfferTimedOut(contact_id, agent.config.agent_id, now),
            AgentStateChanged(agent.config.agent_id, agent.presence, agent.reason, now),
        ]
        out += self._withdraw_offer(contact, agent, now, route)
        return out

    def contact_ended(self, contact_id: int, now: float) -> list[Decision]:
        """The customer is gone: the handler wraps up; a waiting or offered contact is dropped."""
        contact = self._contact(contact_id)
        del self.contacts[contact_id]
        out: list[Decision] = []
        self.waiting.remove(contact)
        if contact.offered_to is not None:
            agent = self.agents[contact.offered_to]
            self._free_slot(agent, agent.work.pop(contact_id), now, out)
        if contact.handler_id is not None:
            self._start_wrap_up(self.agents[contact.handler_id], contact, now, out)
        return out

    def wrap_up_done(self, agent_id: int, contact_id: int, now: float) -> list[Decision]:
        agent = self._agent(agent_id)
        item = agent.work.get(contact_id)
        if item is None or item.phase is not Phase.WRAP_UP:
            raise RoutingArgumentError("contact_id", f"{contact_id} is not in wrap-up")
        out: list[Decision] = []
        self._end_wrap_up(agent, item, now, out, forced=False)
        return out

    # --- transfers and escalation ---------------------------------------------------

    def transfer_to_queue(self, contact_id: int, queue_id: int, now: float) -> list[Decision]:
        """The handler wraps up; the contact waits in ``queue_id`` as a new arrival."""
        contact, handler = self._handled(contact_id)
        queue = self._queue(queue_id)
        if queue.channel != contact.channel:
            raise RoutingArgumentError("queue_id", f"{queue_id} is not a {contact.channel} queue")
        out: list[Decision] = []
        self._start_wrap_up(handler, contact, now, out)
        contact.queue_id, contact.kind, contact.stage = queue_id, OfferKind.TRANSFER, 0
        self._restart(contact, now, out)
        return out

    def transfer_to_agent(
        self, contact_id: int, agent_id: int, now: float, kind: OfferKind = OfferKind.TRANSFER
    ) -> list[Decision]:
        """The handler wraps up; the contact waits for ``agent_id`` only."""
        contact, handler = self._handled(contact_id)
        self._check_target(contact, agent_id)
        out: list[Decision] = []
        self._start_wrap_up(handler, contact, now, out)
        contact.target_agent_id, contact.kind = agent_id, kind
        self._restart(contact, now, out)
        return out

    def escalate(
        self, contact_id: int, supervisor_id: int, mode: EscalationMode, now: float
    ) -> list[Decision]:
        """Cold: a transfer to the supervisor. Warm: the agent stays on until they accept."""
        if mode is EscalationMode.COLD:
            return self.transfer_to_agent(contact_id, supervisor_id, now, OfferKind.COLD_ESCALATION)
        contact, _ = self._handled(contact_id)
        self._check_target(contact, supervisor_id)
        contact.target_agent_id, contact.kind = supervisor_id, OfferKind.WARM_ESCALATION
        contact.seq = self._seq()
        out: list[Decision] = []
        self._wait(contact, now, out)
        return out

    # --- time -----------------------------------------------------------------------

    def tick(self, now: float) -> list[Decision]:
        """Apply overflow steps, offer time-outs and wrap-up limits due by ``now``.

        Everything due changes first; then agents freed by a wrap-up limit choose among all
        waiting contacts, and last the widened and timed-out contacts, best first, look for
        agents who were already free — so no contact jumps ahead of a better one.
        """
        out: list[Decision] = []
        pending = self.waiting.overflowing(now)
        for contact in pending:
            self.waiting.remove(contact)
            contact.stage = self.waiting.stage_at(contact, now)
            self.waiting.add(contact)
            out.append(Overflowed(contact.contact_id, contact.queue_id, contact.stage, now))
        freed: list[AgentRecord] = []
        while self.deadlines and self.deadlines[0][0] <= now:
            _, contact_id, agent_id, token = heapq.heappop(self.deadlines)
            agent = self.agents.get(agent_id)
            item = agent.work.get(contact_id) if agent else None
            if agent is None or item is None or item.token != token:
                continue  # answered, refused or ended before its deadline
            if item.phase is Phase.OFFERED:
                out += self.offer_timed_out(contact_id, now, route=False)
                pending.append(self.contacts[contact_id])
            else:
                self._end_wrap_up(agent, item, now, out, forced=True, fill=False)
                freed.append(agent)
        for agent in freed:
            self._fill(agent, now, out)
        self._route_all(pending, now, out)
        return out

    def next_due(self) -> float | None:
        """No later than the next time :meth:`tick` has something to do (None: nothing)."""
        times = [heap[0][0] for heap in (self.deadlines, self.waiting.overflow_due) if heap]
        return min(times, default=None)

    # --- snapshots ------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """Everything needed to rebuild this engine after a restart."""
        agents = tuple(agent.freeze() for _, agent in sorted(self.agents.items()))
        contacts = sorted(self.contacts.values(), key=lambda contact: contact.seq)
        return Snapshot(agents, tuple(c.freeze() for c in contacts), self.next_seq)

    @classmethod
    def restore(
        cls,
        queues: Iterable[QueueConfig],
        snapshot: Snapshot,
        policy: SelectionPolicy | None = None,
    ) -> Engine:
        """An engine whose future decisions equal those of the one snapshotted.

        Waiting contacts keep their sequence and enqueue time, so they wait in their
        original order; agents keep their presence, reason and work in hand.
        """
        engine = cls(queues, policy)
        engine.next_seq = snapshot.next_seq
        for frozen_agent in snapshot.agents:
            agent = AgentRecord.thaw(frozen_agent, engine._tokens)
            agent.queues = engine._queues_for(agent.config)
            engine.agents[agent.config.agent_id] = agent
            engine.index.publish(agent)
            for item in agent.work.values():
                if item.deadline is not None:
                    engine._push_deadline(agent, item)
        for frozen_contact in snapshot.contacts:
            channel = engine._queue(frozen_contact.queue_id).channel
            contact = engine.contacts[frozen_contact.contact_id] = ContactRecord.thaw(
                frozen_contact, channel
            )
            if frozen_contact.waiting:
                engine.waiting.add(contact)
        return engine

    # --- matching -------------------------------------------------------------------

    def _wait(
        self, contact: ContactRecord, now: float, out: list[Decision], route: bool = True
    ) -> None:
        """Offer the contact to the best agent now, or leave it waiting in its place."""
        if contact.target_agent_id is None:
            contact.stage = self.waiting.stage_at(contact, now)
        agent_id = self._best_agent(contact) if route else None
        if agent_id is None:
            self.waiting.add(contact)
        else:
            self._offer(contact, self.agents[agent_id], now, out)

    def _best_agent(self, contact: ContactRecord) -> int | None:
        target = contact.target_agent_id
        if target is not None:
            agent = self.agents.get(target)
            free = agent is not None and agent.may_take(contact.contact_id, contact.channel)
            return target if free else None
        rejected, agents, contact_id = contact.rejected_by, self.agents, contact.contact_id
        groups = self.queues[contact.queue_id].groups[: contact.stage + 1]
        # The queue's own group first; overflow groups only when it has nobody free.
        for group in groups:
            agent_id = self.index.best(
                contact.channel,
                group,
                lambda a: a not in rejected and contact_id not in agents[a].work,
            )
            if agent_id is not None:
                return agent_id
        return None

    def _fill(self, agent: AgentRecord, now: float, out: list[Decision]) -> None:
        """Offer the agent the best contacts they may take until they are full."""
        while True:
            contact = self.waiting.best_for(agent, now)
            if contact is None:
                return
            self.waiting.remove(contact)
            self._offer(contact, agent, now, out)

    def _offer(
        self, contact: ContactRecord, agent: AgentRecord, now: float, out: list[Decision]
    ) -> None:
        queue = self.queues[contact.queue_id]
        item = WorkItem(
            contact.contact_id, contact.channel, queue.queue_id, Phase.OFFERED, now,
            now + queue.offer_timeout_seconds, next(self._tokens),
        )  # fmt: skip
        agent.work[contact.contact_id] = item
        agent.load[contact.channel] = agent.load.get(contact.channel, 0) + 1
        # Idle time restarts at each offer, so a multi-chat agent does not take every chat.
        agent.idle_since = now
        self.index.publish(agent)
        self._push_deadline(agent, item)
        contact.offered_to = agent.config.agent_id
        out.append(
            Offer(contact.contact_id, agent.config.agent_id, queue.queue_id, now, contact.kind)
        )

    def _withdraw_offer(
        self, contact: ContactRecord, agent: AgentRecord, now: float, route: bool = True
    ) -> list[Decision]:
        item = agent.work.pop(contact.contact_id)
        contact.offered_to = None
        out: list[Decision] = []
        if contact.handler_id is None:  # a refused warm escalation just stays with its agent
            out.append(Requeued(contact.contact_id, contact.queue_id, now))
            self._wait(contact, now, out, route)
        self._free_slot(agent, item, now, out, idle=False)
        return out

    def _free_slot(
        self, agent: AgentRecord, item: WorkItem, now: float, out: list[Decision], idle: bool = True
    ) -> None:
        agent.load[item.channel] -= 1
        if idle:
            agent.idle_since = now
        self.index.publish(agent)
        self._fill(agent, now, out)

    def _route_all(
        self, contacts: Iterable[ContactRecord], now: float, out: list[Decision]
    ) -> None:
        """Offer contacts put back or widened together, best first, to agents free now."""
        for contact in sorted(contacts, key=lambda contact: self.waiting.order(contact, now)):
            agent_id = self._best_agent(contact) if contact.token else None
            if agent_id is not None:
                self.waiting.remove(contact)
                self._offer(contact, self.agents[agent_id], now, out)

    def _start_wrap_up(
        self, agent: AgentRecord, contact: ContactRecord, now: float, out: list[Decision]
    ) -> None:
        item = agent.work[contact.contact_id]
        limit_seconds = self.queues[item.queue_id].wrap_up_limit_seconds
        agent.busy_seconds_today += now - item.since
        item.phase, item.since, item.deadline = Phase.WRAP_UP, now, now + limit_seconds
        item.token = next(self._tokens)
        self._push_deadline(agent, item)
        contact.handler_id = None
        out.append(WrapUpStarted(agent.config.agent_id, contact.contact_id, now, limit_seconds))

    def _end_wrap_up(
        self,
        agent: AgentRecord,
        item: WorkItem,
        now: float,
        out: list[Decision],
        *,
        forced: bool,
        fill: bool = True,
    ) -> None:
        del agent.work[item.contact_id]
        agent.busy_seconds_today += now - item.since
        agent.load[item.channel] -= 1
        agent.idle_since = now
        self.index.publish(agent)
        out.append(WrapUpEnded(agent.config.agent_id, item.contact_id, now, forced))
        if fill:
            self._fill(agent, now, out)

    def _restart(self, contact: ContactRecord, now: float, out: list[Decision]) -> None:
        """A transferred contact waits anew: a new place, and earlier refusals forgotten."""
        contact.seq, contact.enqueued_at = self._seq(), now
        contact.rejected_by.clear()
        self._wait(contact, now, out)

    # --- look-ups -------------------------------------------------------------------

    def _queues_for(self, config: AgentConfig) -> dict[int, int]:
        """Queue id -> the first stage whose group the agent meets (none: not listed)."""
        stages: dict[int, int] = {}
        for queue in self.queues.values():
            if config.capacity.get(queue.channel, 0) <= 0:
                continue
            for stage, group in enumerate(queue.groups):
                if config.meets(group):
                    stages[queue.queue_id] = stage
                    break
        return stages

    def _push_deadline(self, agent: AgentRecord, item: WorkItem) -> None:
        assert item.deadline is not None
        entry = (item.deadline, item.contact_id, agent.config.agent_id, item.token)
        heapq.heappush(self.deadlines, entry)

    def _seq(self) -> int:
        self.next_seq += 1
        return self.next_seq - 1

    def _agent(self, agent_id: int) -> AgentRecord:
        agent = self.agents.get(agent_id)
        if agent is None:
            raise RoutingArgumentError("agent_id", f"{agent_id} is not logged in")
        return agent

    def _queue(self, queue_id: int) -> QueueConfig:
        queue = self.queues.get(queue_id)
        if queue is None:
            raise RoutingArgumentError("queue_id", f"{queue_id} is not configured")
        return queue

    def _contact(self, contact_id: int) -> ContactRecord:
        contact = self.contacts.get(contact_id)
        if contact is None:
            raise RoutingArgumentError("contact_id", f"{contact_id} is not being routed")
        return contact

    def _offered(self, contact_id: int) -> tuple[ContactRecord, AgentRecord, WorkItem]:
        contact = self._contact(contact_id)
        if contact.offered_to is None:
            raise RoutingArgumentError("contact_id", f"{contact_id} is not offered")
        agent = self.agents[contact.offered_to]
        return contact, agent, agent.work[contact_id]

    def _handled(self, contact_id: int) -> tuple[ContactRecord, AgentRecord]:
        """A contact in an agent's hands with no transfer or escalation pending."""
        contact = self._contact(contact_id)
        if contact.handler_id is None or contact.target_agent_id is not None:
            raise RoutingArgumentError("contact_id", f"{contact_id} is not in an agent's hands")
        return contact, self.agents[contact.handler_id]

    def _check_target(self, contact: ContactRecord, agent_id: int) -> None:
        agent = self._agent(agent_id)
        if agent_id == contact.handler_id or agent.config.capacity.get(contact.channel, 0) <= 0:
            raise RoutingArgumentError("agent_id", f"{agent_id} cannot take this contact")
