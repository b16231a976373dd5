"""Who gets what: pluggable agent-ranking policies and the indexes they work through.

A policy ranks an available agent for one skill by a tuple; the lowest tuple wins. The
index keeps, per (channel, skill, proficiency), a heap of the agents who could take a new
contact on that channel right now, so choosing an agent costs a few heap operations, not
a scan of every agent. Heaps are lazy: an agent whose availability or rank changes gets a
new ``stamp`` and fresh entries; old entries are skipped when they surface and the heaps
are rebuilt once stale entries outnumber live ones. Heaps that only an overflow step asks
for are filled the first time a contact reaches that step, and kept from then on. The
waiting index (``waiting.py``) is the other side: which waiting contact a newly free agent
gets.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from heapq import heappop, heappush
from typing import Any, Protocol

from frontline.routing.model import (
    BLOCKED_BY,
    MAX_PROFICIENCY,
    AgentConfig,
    AgentSnapshot,
    Group,
    NotReadyReason,
    Phase,
    Presence,
    QueueConfig,
    WorkSnapshot,
)

Rank = tuple[float, ...]
HeapKey = tuple[str, int, int]  # channel, skill id, proficiency
# The rank's fields, then agent id and stamp, in one flat tuple: heaps compare flat tuples
# several times faster than nested ones. Numbers only, so the collector stops tracking the
# entries (an agent's record inside would make every collection walk them all).
# (Any: the rank's length is the policy's choice.) The default policy's entries leave out
# the rank's -proficiency, the same for every entry of a heap, and its agent id, repeated
# in the tail: ``(idle_since, agent_id, stamp)`` orders a heap as the full rank does, and
# one such tuple serves every heap the agent joins.
Entry = tuple[Any, ...]
Heap = list[Entry]
# (channel, its capacity, the channels whose work blocks it, (proficiency, heap) per heap
# to join there)
ChannelHeaps = tuple[str, int, tuple[str, ...], list[tuple[int, Heap]]]
_ANY_SKILL = -1  # the heap of everyone on a channel, for groups without requirements
_REBUILD_FLOOR = 4096
_NOT_KEPT = MAX_PROFICIENCY + 1


class SelectionPolicy(Protocol):
    """Ranks an available agent for a skill they hold at ``proficiency`` (lower is better;
    every rank of one policy has the same length).

    The rank may use only what is passed in: the index re-ranks an agent whenever one of
    these changes, never because time passed.
    """

    def rank(
        self, proficiency: int, idle_since: float, busy_seconds_today: float, agent_id: int
    ) -> Rank: ...


class LongestIdleBestProficiency:
    """The most proficient agents first; among them the one idle longest (the default)."""

    def rank(
        self, proficiency: int, idle_since: float, busy_seconds_today: float, agent_id: int
    ) -> Rank:
        return (-proficiency, idle_since, agent_id)


class LeastBusyToday:
    """The agent with the fewest seconds handling contacts today, whatever the proficiency."""

    def rank(
        self, proficiency: int, idle_since: float, busy_seconds_today: float, agent_id: int
    ) -> Rank:
        return (busy_seconds_today, idle_since, agent_id)


@dataclass(slots=True)
class WorkItem:
    contact_id: int
    channel: str
    queue_id: int
    phase: Phase
    since: float
    deadline: float | None
    token: int


@dataclass(slots=True)
class AgentRecord:
    config: AgentConfig
    presence: Presence
    reason: NotReadyReason | None
    idle_since: float
    busy_seconds_today: float = 0.0
    work: dict[int, WorkItem] = field(default_factory=dict)
    load: dict[str, int] = field(default_factory=dict)
    stamp: int = 0
    entries: int = 0
    # queue id -> the first stage whose group this agent meets
    queues: dict[int, int] = field(default_factory=dict)
    # the heaps this agent belongs in when free, per channel (computed at first publish)
    heaps: list[ChannelHeaps] | None = None

    def can_take(self, channel: str) -> bool:
        """Ready, a free slot on ``channel``, and nothing in hand that blocks it."""
        if self.presence is not Presence.READY:
            return False
        load = self.load
        if load.get(channel, 0) >= self.config.capacity.get(channel, 0):
            return False
        return not any(load.get(blocker, 0) for blocker in BLOCKED_BY.get(channel, ()))

    def may_take(self, contact_id: int, channel: str) -> bool:
        """As :meth:`can_take`, and not still holding an earlier leg of this contact."""
        return contact_id not in self.work and self.can_take(channel)

    def freeze(self) -> AgentSnapshot:
        work = tuple(
            WorkSnapshot(w.contact_id, w.channel, w.queue_id, w.phase, w.since, w.deadline)
            for w in sorted(self.work.values(), key=lambda w: w.contact_id)
        )
        return AgentSnapshot(
            self.config, self.presence, self.reason, self.idle_since, self.busy_seconds_today, work
        )

    @classmethod
    def thaw(cls, frozen: AgentSnapshot, tokens: Iterator[int]) -> AgentRecord:
        """The agent as snapshotted, with fresh tokens for its work (``queues`` left empty)."""
        agent = cls(
            frozen.config, frozen.presence, frozen.reason, frozen.idle_since,
            frozen.busy_seconds_today,
        )  # fmt: skip
        for w in frozen.work:
            agent.work[w.contact_id] = WorkItem(
                w.contact_id, w.channel, w.queue_id, w.phase, w.since, w.deadline, next(tokens)
            )
            agent.load[w.channel] = agent.load.get(w.channel, 0) + 1
        return agent


class _Plan:
    """Where to look for agents for one group of a queue's stage; see ``AgentIndex._plan``."""

    __slots__ = ("descending", "heaps", "kept", "key", "level", "rest")

    def __init__(self, heaps: list[Heap], rest: Group, key: tuple[str, int], level: int) -> None:
        self.heaps = heaps  # the heaps that may hold agents for the group, one per proficiency
        self.descending = heaps[::-1]  # the same, the most proficient first
        self.rest = rest  # the group's requirements the heaps do not already ensure
        self.key = key  # the (channel, skill) of those heaps ...
        self.level = level  # ... and the lowest proficiency among them
        # True once the index keeps these heaps up to date (levels kept only go down).
        self.kept = False


class AgentIndex:
    """The available agents per (channel, skill, proficiency), best first."""

    def __init__(
        self,
        policy: SelectionPolicy,
        agents: dict[int, AgentRecord],
        queues: Iterable[QueueConfig],
    ) -> None:
        self.policy = policy
        # The default policy's rank, (-proficiency, idle_since, agent_id), is built in line
        # (see ``Entry``): a call of ``rank`` per heap entry is a good part of publishing an
        # agent. It does not rank by handled seconds, so those changing need no
        # re-publishing either.
        self.by_idle = type(policy) is LongestIdleBestProficiency
        self.agents = agents
        queues = list(queues)
        # Heaps are never replaced (a rebuild empties them in place), so agents and plans
        # may keep references to them instead of looking them up on every decision.
        self.heaps: dict[HeapKey, Heap] = {}
        self.plans = {
            (queue.queue_id, stage): self._plan(queue.channel, group)
            for queue in queues
            for stage, group in enumerate(queue.groups)
        }
        # (channel, skill) -> the lowest proficiency whose heaps are kept up to date. Every
        # agent's change costs a push per heap kept, so heaps only an overflow step asks
        # for are kept from the first time a contact reaches that step (``_keep``): in a
        # center staffed for its load, rarely or never.
        self.kept: dict[tuple[str, int], int] = {}
        for queue in queues:
            plan = self.plans[queue.queue_id, 0]
            self.kept[plan.key] = min(plan.level, self.kept.get(plan.key, _NOT_KEPT))
        self.stale = 0
        self.live = 0
        # Stamps are unique across logins, so entries from an earlier login never revive.
        self._stamps = itertools.count(1)

    def publish(self, agent: AgentRecord) -> None:
        """Call after any change to the agent's availability or rank inputs."""
        agent.stamp = stamp = next(self._stamps)
        old = agent.entries
        # The hottest path of routing: ``can_take`` is inlined, heaps are held directly.
        pushed = 0
        if agent.presence is Presence.READY:
            heaps = agent.heaps
            if heaps is None:
                heaps = agent.heaps = self._heaps_for(agent.config)
            load, agent_id, idle = agent.load, agent.config.agent_id, agent.idle_since
            for channel, limit, blockers, targets in heaps:
                if load.get(channel, 0) >= limit:
                    continue
                if blockers and any(map(load.get, blockers)):  # absent (None) or 0: not blocked
                    continue
                if self.by_idle:
                    entry = (idle, agent_id, stamp)
                    for _, heap in targets:
                        heappush(heap, entry)
                else:
                    rank, busy, tail = self.policy.rank, agent.busy_seconds_today, (agent_id, stamp)
                    for proficiency, heap in targets:
                        heappush(heap, rank(proficiency, idle, busy, agent_id) + tail)
                pushed += len(targets)
        agent.entries = pushed
        self.live += pushed - old
        if old:
            self.stale += old
            # A rebuild visits every agent, so it waits until stale entries outnumber them.
            if self.stale > 2 * self.live + 8 * len(self.agents) + _REBUILD_FLOOR:
                self.rebuild()

    def rebuild(self) -> None:
        for heap in self.heaps.values():
            heap.clear()
        self.stale, self.live = 0, 0
        # Appending everything and heapifying once is linear, pushing one by one is not.
        for agent in self.agents.values():
            agent.entries = self._push(agent, list.append)
            self.live += agent.entries
        for heap in self.heaps.values():
            heapq.heapify(heap)

    def forget(self, agent: AgentRecord) -> None:
        """Call when the agent logs out: their entries all turn stale."""
        agent.stamp = next(self._stamps)
        self.stale += agent.entries
        self.live -= agent.entries
        agent.entries = 0

    def _push(self, agent: AgentRecord, add: Callable[[Heap, Entry], None]) -> int:
        """Add the agent's entries with ``add``, for a rebuild (``publish`` inlines this)."""
        if agent.presence is not Presence.READY:
            return 0
        heaps = agent.heaps
        if heaps is None:
            heaps = agent.heaps = self._heaps_for(agent.config)
        rank, agent_id = self.policy.rank, agent.config.agent_id
        idle, busy, load = agent.idle_since, agent.busy_seconds_today, agent.load
        tail = (agent_id, agent.stamp)
        pushed = 0
        for channel, limit, blockers, targets in heaps:
            if load.get(channel, 0) >= limit:
                continue
            if blockers and any(map(load.get, blockers)):
                continue
            if self.by_idle:
                entry = (idle, *tail)
                for _, heap in targets:
                    add(heap, entry)
            else:
                for proficiency, heap in targets:
                    add(heap, rank(proficiency, idle, busy, agent_id) + tail)
            pushed += len(targets)
        return pushed

    def _heaps_for(self, config: AgentConfig) -> list[ChannelHeaps]:
        skills = [(_ANY_SKILL, 0), *config.skills.items()]
        heaps: list[ChannelHeaps] = []
        kept = self.kept
        for channel, limit in config.capacity.items():
            targets = [
                (proficiency, self.heaps[channel, skill_id, proficiency])
                for skill_id, proficiency in skills
                if proficiency >= kept.get((channel, skill_id), _NOT_KEPT)
            ]
            if targets and limit > 0:
                heaps.append((channel, limit, BLOCKED_BY.get(channel, ()), targets))
        return heaps

    def _plan(self, channel: str, group: Group) -> _Plan:
        """The heaps that may hold agents for ``group`` on ``channel``, the requirements
        left, and the (channel, skill) and lowest proficiency those heaps are for."""
        if not group:
            key = (channel, _ANY_SKILL)
            return _Plan([self.heaps.setdefault((*key, 0), [])], (), key, 0)
        first = group[0]
        key = (channel, first.skill_id)
        levels = range(first.min_proficiency, MAX_PROFICIENCY + 1)
        heaps = [self.heaps.setdefault((*key, level), []) for level in levels]
        return _Plan(heaps, group[1:], key, first.min_proficiency)

    def _keep(self, key: tuple[str, int], level: int) -> None:
        """Keep the heaps of ``key`` from ``level`` up: agents who belong there join them."""
        below = self.kept.get(key, _NOT_KEPT)
        self.kept[key] = level
        channel, skill_id = key
        for agent in list(self.agents.values()):  # a publish may rebuild, not resize
            skills, capacity = agent.config.skills, agent.config.capacity
            proficiency = 0 if skill_id == _ANY_SKILL else skills.get(skill_id, 0)
            if level <= proficiency < below and capacity.get(channel, 0) > 0:
                agent.heaps = None  # worked out again, with these heaps
                self.publish(agent)

    def best(
        self, queue_id: int, stage: int, contact_id: int, rejected: Container[int]
    ) -> AgentRecord | None:
        """The best-ranked agent able to take the queue's channel now who meets the group
        of ``stage``, has not refused the contact and does not still hold it.

        The group's first requirement picks the heaps (its proficiency is the one ranked);
        the others filter. Only the winning heap's top is checked for staleness: a stale
        top in a heap that loses anyway does no harm, and most queries then check one
        entry instead of one per heap. Entries looked past are put back.
        """
        plan = self.plans[queue_id, stage]
        if not plan.kept:
            if self.kept.get(plan.key, _NOT_KEPT) > plan.level:
                self._keep(plan.key, plan.level)
            plan.kept = True
        if self.by_idle:
            return self._best_by_idle(plan, contact_id, rejected)
        heaps, rest, agents = plan.heaps, plan.rest, self.agents
        passed: list[tuple[Heap, Entry]] = []
        found: AgentRecord | None = None
        while True:
            best: Heap | None = None
            top: Entry = ()
            for heap in heaps:
                if heap and (best is None or heap[0] < top):
                    best, top = heap, heap[0]
            if best is None:
                break
            agent = agents.get(top[-2])
            if agent is None or agent.stamp != top[-1]:
                heappop(best)
                self.stale -= 1
            elif _may_take(agent, contact_id, rejected, rest):
                found = agent
                break
            else:
                passed.append((best, heappop(best)))
        for heap, entry in passed:
            heappush(heap, entry)
        return found

    def _best_by_idle(
        self, plan: _Plan, contact_id: int, rejected: Container[int]
    ) -> AgentRecord | None:
        """:meth:`best` for the default policy, whose rank starts with -proficiency: the
        most proficient heap holding a live agent who may take the contact wins, whatever
        the tops of the others, so the heaps are tried one by one, most proficient first."""
        rest, agents = plan.rest, self.agents
        passed: list[tuple[Heap, Entry]] = []
        found: AgentRecord | None = None
        for heap in plan.descending:
            while heap:
                top = heap[0]
                agent = agents.get(top[-2])
                if agent is None or agent.stamp != top[-1]:
                    heappop(heap)
                    self.stale -= 1
                elif _may_take(agent, contact_id, rejected, rest):
                    found = agent
                    break
                else:
                    passed.append((heap, heappop(heap)))
            if found is not None:
                break
        for heap, entry in passed:
            heappush(heap, entry)
        return found


def _may_take(agent: AgentRecord, contact_id: int, rejected: Container[int], rest: Group) -> bool:
    """A live, available agent found for a contact: not refused it, not still holding it,
    and meeting the group's requirements the heaps do not already ensure."""
    return (
        agent.config.agent_id not in rejected
        and contact_id not in agent.work
        and (not rest or agent.config.meets(rest))
    )
