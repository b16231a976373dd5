"""Waiting contacts: which one a newly free agent gets, in priority and arrival order.

Per (queue, overflow step) a heap of waiting contacts ordered by effective priority and
then by original sequence, so a contact that comes back (a missed offer) keeps its place.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Mapping
from dataclasses import dataclass

from frontline.routing.model import (
    ContactSnapshot,
    OfferKind,
    QueueConfig,
)
from frontline.routing.policies import AgentRecord


@dataclass(slots=True)
class ContactRecord:
    contact_id: int
    queue_id: int
    channel: str
    priority: float  # the contact's own, added to its queue's
    seq: int
    enqueued_at: float
    kind: OfferKind = OfferKind.QUEUE
    stage: int = 0  # overflow steps reached; 0 = the queue's own group only
    target_agent_id: int | None = None
    handler_id: int | None = None
    offered_to: int | None = None
    # Immutable, so contacts nobody refused share the empty one instead of each allocating
    # a set; a refusal (rare) replaces it.
    rejected_by: frozenset[int] = frozenset()
    token: int = 0  # non-zero while waiting: the token of its live heap entry

    def freeze(self) -> ContactSnapshot:
        return ContactSnapshot(
            self.contact_id, self.queue_id, self.priority, self.seq, self.enqueued_at, self.kind,
            self.stage, self.target_agent_id, self.handler_id, self.offered_to,
            self.rejected_by, waiting=self.token != 0,
        )  # fmt: skip

    @classmethod
    def thaw(cls, frozen: ContactSnapshot, channel: str) -> ContactRecord:
        """The contact as snapshotted, not yet waiting in any index."""
        return cls(
            frozen.contact_id, frozen.queue_id, channel, frozen.priority, frozen.seq,
            frozen.enqueued_at, frozen.kind, frozen.stage, frozen.target_agent_id,
            frozen.handler_id, frozen.offered_to, frozen.rejected_by,
        )  # fmt: skip


WaitEntry = tuple[float, int, int, int]  # order key, seq, token, contact id


class WaitingIndex:
    """Waiting contacts per (queue, overflow stage) and per target agent, best first.

    Within a queue the aging term's ``aging x now`` is common to all, so the order key
    ``aging x enqueued_at - priority`` never changes while a contact waits; across queues
    the effective priority is compared at the moment an agent is free.
    """

    def __init__(self, queues: Mapping[int, QueueConfig], contacts: dict[int, ContactRecord]):
        self.queues = queues
        self.contacts = contacts
        self.heaps: dict[tuple[int, int], list[WaitEntry]] = {}
        self.personal: dict[int, list[WaitEntry]] = {}
        self.counts: dict[int, int] = {}  # live queue entries per queue
        self.total = 0  # live queue entries in all queues
        self.overflow_due: list[WaitEntry] = []  # due time, seq, token, contact id
        self._tokens = itertools.count(1)

    def stage_at(self, contact: ContactRecord, now: float) -> int:
        overflow = self.queues[contact.queue_id].overflow
        since = contact.enqueued_at
        # Compared as ``since + after <= now``, the very sum a step's due time is filed
        # under: ``now - since >= after`` can miss by a rounding error at that due time.
        if not overflow or since + overflow[0].after_seconds > now:
            return contact.stage  # the common case: no step reached yet
        reached = sum(1 for step in overflow if since + step.after_seconds <= now)
        return max(contact.stage, reached)

    def add(self, contact: ContactRecord) -> None:
        token = contact.token = next(self._tokens)
        seq, contact_id = contact.seq, contact.contact_id
        if contact.target_agent_id is not None:
            heap = self.personal.setdefault(contact.target_agent_id, [])
            heapq.heappush(heap, (0.0, seq, token, contact_id))
            return
        queue = self.queues[contact.queue_id]
        key = queue.aging_per_second * contact.enqueued_at - contact.priority
        heap = self.heaps.setdefault((queue.queue_id, contact.stage), [])
        heapq.heappush(heap, (key, seq, token, contact_id))
        self.counts[queue.queue_id] = self.counts.get(queue.queue_id, 0) + 1
        self.total += 1
        if contact.stage < len(queue.overflow):
            due = contact.enqueued_at + queue.overflow[contact.stage].after_seconds
            heapq.heappush(self.overflow_due, (due, seq, token, contact_id))

    def remove(self, contact: ContactRecord) -> None:
        """Stop waiting (its heap entries turn stale); a no-op if it was not waiting."""
        if contact.token and contact.target_agent_id is None:
            self.counts[contact.queue_id] -= 1
            self.total -= 1
        contact.token = 0

    def take_personal(self, agent_id: int) -> list[ContactRecord]:
        """Every contact waiting for ``agent_id``, in order, no longer waiting."""
        taken = []
        for _, _, token, contact_id in sorted(self.personal.pop(agent_id, [])):
            contact = self.contacts.get(contact_id)
            if contact is not None and contact.token == token:
                contact.token = 0
                taken.append(contact)
        return taken

    def overflowing(self, now: float) -> list[ContactRecord]:
        """Waiting contacts whose next overflow step is due by ``now``, in order."""
        due: list[ContactRecord] = []
        while self.overflow_due and self.overflow_due[0][0] <= now:
            _, _, token, contact_id = heapq.heappop(self.overflow_due)
            contact = self.contacts.get(contact_id)
            if contact is not None and contact.token == token:
                due.append(contact)
        return due

    def best_for(self, agent: AgentRecord, now: float) -> ContactRecord | None:
        """The waiting contact ``agent`` should get next: their own first, then by
        effective priority and original sequence over the queues they may serve."""
        if self.personal.get(agent.config.agent_id):
            own = self._own(agent)
            if own is not None:
                return own
        if not self.total:  # most agents free up while nobody waits
            return None
        best: ContactRecord | None = None
        best_key = (0.0, 0)
        for queue_id, first_stage in agent.queues.items():
            queue = self.queues[queue_id]
            if not self.counts.get(queue_id) or not agent.can_take(queue.channel):
                continue
            for stage in range(first_stage, len(queue.overflow) + 1):
                contact = self._top(self.heaps.get((queue_id, stage)), agent)
                if contact is None:
                    continue
                key = self.order(contact, now)
                if best is None or key < best_key:
                    best, best_key = contact, key
        return best

    def order(self, contact: ContactRecord, now: float) -> tuple[float, int]:
        """Lower goes first: the highest effective priority, then the original sequence."""
        queue = self.queues[contact.queue_id]
        waited = now - contact.enqueued_at
        effective = queue.priority + contact.priority + queue.aging_per_second * waited
        return (-effective, contact.seq)

    def _own(self, agent: AgentRecord) -> ContactRecord | None:
        """The first contact waiting for this agent personally on a channel they can take."""
        heap = self.personal.get(agent.config.agent_id)
        self._top(heap, agent)  # drops stale entries from the top
        for _, _, token, contact_id in sorted(heap or ()):  # short: transfers to one person
            contact = self.contacts.get(contact_id)
            if contact and contact.token == token and agent.may_take(contact_id, contact.channel):
                return contact
        return None

    def _top(self, heap: list[WaitEntry] | None, agent: AgentRecord) -> ContactRecord | None:
        """The first live contact in ``heap`` that ``agent`` has not refused or still holds."""
        agent_id, work = agent.config.agent_id, agent.work
        passed: list[WaitEntry] = []
        found: ContactRecord | None = None
        while heap:
            contact = self.contacts.get(heap[0][3])
            if contact is None or contact.token != heap[0][2]:
                heapq.heappop(heap)  # stale: the contact was offered, ended or moved
            elif agent_id in contact.rejected_by or contact.contact_id in work:
                passed.append(heapq.heappop(heap))
            else:
                found = contact
                break
        for entry in passed:
            heapq.heappush(heap, entry)  # type: ignore[arg-type]  # passed is empty if heap is None
        return found
