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

from collections.abc import Iterable

from frontline.routing.matching import Matcher
from frontline.routing.model import (
    AgentConfig,
    AgentSnapshot,
    AgentState,
    AgentStateChanged,
    Contact,
    ContactSnapshot,
    Decision,
    EscalationMode,
    NotReadyReason,
    OfferKind,
    OfferTimedOut,
    Overflowed,
    Phase,
    Presence,
    QueueConfig,
    Requeued,
    RoutingArgumentError,
    Snapshot,
)
from frontline.routing.policies import AgentRecord, SelectionPolicy
from frontline.routing.waiting import ContactRecord

__all__ = ["Engine"]


class Engine(Matcher):
    """The routing operations, each returning the decisions it caused; see the module
    docstring. The state and the matching steps they share are in ``matching.py``."""

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
        item.token = 0  # the offer's time-out no longer applies

        contact.handler_id, contact.offered_to, contact.target_agent_id = (
            agent.config.agent_id, None, None,
        )  # fmt: skip
        return out

    def offer_rejected(self, contact_id: int, now: float) -> list[Decision]:
        """The contact goes back to its original place; this agent is not offered it again."""
        contact, agent, _ = self._offered(contact_id)
        contact.rejected_by |= {agent.config.agent_id}
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
        for _, contact_id, agent_id, token, item in self.deadlines.pop_due(now):
            if item.token != token:
                continue  # answered, refused or ended by an earlier deadline of this tick
            agent = self.agents[agent_id]
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
        times = [self.deadlines.first()]
        if self.waiting.overflow_due:
            times.append(self.waiting.overflow_due[0][0])
        return min((time for time in times if time is not None), default=None)

    # --- snapshots ------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """Everything needed to rebuild this engine after a restart."""
        agents = tuple(agent.freeze() for _, agent in sorted(self.agents.items()))
        contacts = sorted(self.contacts.values(), key=lambda contact: contact.seq)
        return Snapshot(agents, tuple(c.freeze() for c in contacts), self.next_seq)

    def agent_snapshot(self, agent_id: int) -> AgentSnapshot | None:
        """One agent's part of :meth:`snapshot` (None: logged out), for persisting changes."""
        agent = self.agents.get(agent_id)
        return None if agent is None else agent.freeze()

    def contact_snapshot(self, contact_id: int) -> ContactSnapshot | None:
        """One contact's part of :meth:`snapshot` (None: it has left the engine)."""
        contact = self.contacts.get(contact_id)
        return None if contact is None else contact.freeze()

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
