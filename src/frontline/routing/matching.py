"""The routing engine's shared state and the matching every operation ends with.

:class:`Matcher` holds the agents, queues, waiting contacts and deadlines, and the steps
the public operations in ``engine.py`` are built from: offering a contact to the best
free agent or leaving it waiting, filling a newly free agent, and the bookkeeping of
offers and wrap-ups (load, idle time, deadlines). It is pure, as the engine is: time is
always the ``now`` argument.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from frontline.routing.deadlines import Deadlines
from frontline.routing.model import (
    AgentConfig,
    Decision,
    Offer,
    Phase,
    QueueConfig,
    Requeued,
    RoutingArgumentError,
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

__all__ = ["Matcher"]


class Matcher:
    """The engine's state and the steps its operations share; see the module docstring."""

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
        self.deadlines = Deadlines()  # offer time-outs and wrap-up limits
        self.next_seq = 1
        self._tokens = itertools.count(1)

    # --- matching -------------------------------------------------------------------

    def _wait(
        self, contact: ContactRecord, now: float, out: list[Decision], route: bool = True
    ) -> None:
        """Offer the contact to the best agent now, or leave it waiting in its place."""
        if contact.target_agent_id is None:
            contact.stage = self.waiting.stage_at(contact, now)
        agent = self._best_agent(contact) if route else None
        if agent is None:
            self.waiting.add(contact)
        else:
            self._offer(contact, agent, now, out)

    def _best_agent(self, contact: ContactRecord) -> AgentRecord | None:
        target = contact.target_agent_id
        if target is not None:
            agent = self.agents.get(target)
            if agent is not None and agent.may_take(contact.contact_id, contact.channel):
                return agent
            return None
        rejected, contact_id, best = contact.rejected_by, contact.contact_id, self.index.best
        # The queue's own group first; overflow groups only when it has nobody free.
        for stage in range(contact.stage + 1):
            agent = best(contact.queue_id, stage, contact_id, rejected)
            if agent is not None:
                return agent
        return None

    def _fill(self, agent: AgentRecord, now: float, out: list[Decision]) -> None:
        """Offer the agent the best contacts they may take until they are full."""
        waiting = self.waiting
        # Most agents free up while nobody waits, for them or for any queue.
        while waiting.total or waiting.personal.get(agent.config.agent_id):
            contact = waiting.best_for(agent, now)
            if contact is None:
                return
            waiting.remove(contact)
            self._offer(contact, agent, now, out)

    def _offer(
        self, contact: ContactRecord, agent: AgentRecord, now: float, out: list[Decision]
    ) -> None:
        contact_id, channel, queue_id = contact.contact_id, contact.channel, contact.queue_id
        agent_id = agent.config.agent_id
        deadline = now + self.queues[queue_id].offer_timeout_seconds
        token = next(self._tokens)
        item = WorkItem(contact_id, channel, queue_id, Phase.OFFERED, now, deadline, token)
        agent.work[contact_id] = item
        load = agent.load
        load[channel] = load.get(channel, 0) + 1
        # Idle time restarts at each offer, so a multi-chat agent does not take every chat.
        agent.idle_since = now
        self.index.publish(agent)
        self.deadlines.add((deadline, contact_id, agent_id, token, item))
        contact.offered_to = agent_id
        out.append(Offer(contact_id, agent_id, queue_id, now, contact.kind))

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
        """``item`` has just left the agent's hands: its deadline no longer applies."""
        item.token = 0
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
            agent = self._best_agent(contact) if contact.token else None
            if agent is not None:
                self.waiting.remove(contact)
                self._offer(contact, agent, now, out)

    def _start_wrap_up(
        self, agent: AgentRecord, contact: ContactRecord, now: float, out: list[Decision]
    ) -> None:
        contact_id, agent_id = contact.contact_id, agent.config.agent_id
        item = agent.work[contact_id]
        limit_seconds = self.queues[item.queue_id].wrap_up_limit_seconds
        agent.busy_seconds_today += now - item.since
        if agent.entries and not self.index.by_idle:  # a rank input changed in the heaps
            self.index.publish(agent)
        item.phase, item.since = Phase.WRAP_UP, now
        item.deadline = deadline = now + limit_seconds
        item.token = token = next(self._tokens)
        self.deadlines.add((deadline, contact_id, agent_id, token, item))
        contact.handler_id = None
        out.append(WrapUpStarted(agent_id, contact_id, now, limit_seconds))

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
        item.token = 0  # its wrap-up limit no longer applies
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
        contact.rejected_by = frozenset()
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
        self.deadlines.add(
            (item.deadline, item.contact_id, agent.config.agent_id, item.token, item)
        )

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
