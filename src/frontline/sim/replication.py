"""One replication: a day in virtual time, with the real routing engine deciding.

A heap of events (arrivals, hang-ups, answers, ends of talk and wrap-up, agents' shifts
and breaks, and the engine's own ``tick`` when ``next_due`` asks for it) drives
:class:`frontline.routing.Engine` through its public operations only; every routing rule
— skills, proficiency, overflow, capacity, priorities — is the engine's. The simulator
only plays the customers and the agents: agents accept an offer after ``ring_seconds``,
talk for the drawn handle time and wrap up for the queue's ``wrap_up_seconds``; a caller
whose patience runs out before an answer hangs up (``contact_ended`` on a waiting or
ringing contact) and may call again later.

Bookkeeping for the outputs is done here, in one pass: each contact's times (for
:mod:`frontline.metrics`), each agent's seconds per state, and each queue's length over
time (as segments, split at the interval edges once the day is over: ``timeline.py``).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np

from frontline.metrics import AgentTime, ContactOutcome
from frontline.routing import (
    AgentStateChanged,
    Contact,
    Decision,
    Engine,
    NotReadyReason,
    Offer,
    OfferTimedOut,
    Presence,
    WrapUpEnded,
    WrapUpStarted,
)
from frontline.sim.plan import (
    ABANDON,
    ANSWER,
    ARRIVAL,
    BREAK_END,
    BREAK_START,
    END,
    SHIFT_END,
    SHIFT_START,
    TICK,
    WRAP_DONE,
    Plan,
)
from frontline.sim.sampling import Streams, draw_arrivals, draw_durations
from frontline.sim.scenario import Scenario
from frontline.sim.timeline import Segments

__all__ = ["DayRecord", "run_replication"]

_SHIFT_START, _BREAK_END, _END, _WRAP_DONE = SHIFT_START, BREAK_END, END, WRAP_DONE
_ANSWER, _ABANDON, _ARRIVAL = ANSWER, ABANDON, ARRIVAL
_TICK, _BREAK_START, _SHIFT_END = TICK, BREAK_START, SHIFT_END
# Agent states for the time accounting (indexes into AgentTime's fields).
_BUSY, _WRAP, _READY, _NOT_READY, _OUT = range(5)
# Contact states.
_WAITING, _RINGING, _TALKING, _DONE = range(4)


@dataclass(frozen=True, slots=True)
class DayRecord:
    """What one replication leaves behind, before any metric is computed."""

    outcomes: list[ContactOutcome]
    # Per queue, per interval: seconds x contacts waiting, and the most waiting at once.
    queue_area: list[list[float]]
    queue_max: list[list[float]]
    # Per agent group, per state (busy, wrap-up, ready, not ready), per interval: seconds.
    group_seconds: list[list[list[float]]]
    agent_time: list[AgentTime]


def run_replication(scenario: Scenario, plan: Plan, seed: np.random.SeedSequence) -> DayRecord:
    return _Day(scenario, plan, Streams.spawn(seed)).run()


class _Day:
    """The event loop and its bookkeeping; see the module docstring."""

    def __init__(self, scenario: Scenario, plan: Plan, streams: Streams) -> None:
        self.plan, self.streams = plan, streams
        self.engine = Engine(plan.queues)
        self.open, self.close = scenario.open, scenario.close
        self.length, self.intervals = scenario.interval_seconds, scenario.intervals
        self.ring = scenario.ring_seconds
        arrivals = draw_arrivals(scenario, streams.arrivals)
        self.queue_of, self.arrived = arrivals.queues, arrivals.times
        size = len(self.arrived)
        self.handle, self.patience = self._durations(len(plan.queues))
        self.answered: list[float | None] = [None] * size
        self.abandoned: list[float | None] = [None] * size
        self.ended: list[float | None] = [None] * size
        self.wrapped: list[float | None] = [None] * size
        self.status = [_WAITING] * size
        self.priority: dict[int, float] = {}  # retrials given a priority of their own
        self.handler = [-1] * size
        agents, queues, groups = len(plan.agents), len(plan.queues), max(plan.agent_group) + 1
        self.presence = [_OUT] * agents
        self.state = [_OUT] * agents
        self.since = [0.0] * agents
        self.busy = [0] * agents  # contacts offered or in talk
        self.wrapping = [0] * agents
        self.leaving = [False] * agents
        self.totals = [[0.0] * 4 for _ in range(agents)]
        self.agent_segments = Segments(groups * 4, self.open, self.close, self.length)
        self.waiting = [0] * queues
        self.waiting_since = [0.0] * queues
        self.queue_segments = Segments(queues, self.open, self.close, self.length)
        self.events: list[tuple[float, int, int, int, int]] = []
        self.counter = 0
        self.next_tick = math.inf
        self.tick_times: set[float] = set()
        self.now = 0.0

    def _durations(self, queues: int) -> tuple[list[float], list[float]]:
        queue_of = np.asarray(self.queue_of, dtype=np.int64)
        handle = np.empty(queue_of.size)
        patience = np.full(queue_of.size, math.inf)
        for queue in range(queues):
            members = np.flatnonzero(queue_of == queue)
            distribution = self.plan.handle[queue]
            handle[members] = draw_durations(distribution, members.size, self.streams.handle)
            if (patient := self.plan.patience[queue]) is not None:
                patience[members] = draw_durations(patient, members.size, self.streams.patience)
        return handle.tolist(), patience.tolist()

    # --- the loop -------------------------------------------------------------------

    def push(self, at: float, kind: int, first: int, second: int = 0) -> None:
        self.counter += 1
        heapq.heappush(self.events, (at, kind, self.counter, first, second))

    def run(self) -> DayRecord:
        for at, kind, agent in self.plan.agent_events:
            self.push(at, kind, agent)
        events, engine, arrived = self.events, self.engine, self.arrived
        handlers = {
            _ARRIVAL: self.arrival, _ABANDON: self.abandon, _ANSWER: self.answer,
            _END: self.end_talk, _WRAP_DONE: self.wrap_done, _TICK: self.tick,
            _SHIFT_START: self.shift_start, _BREAK_END: self.break_end,
            _BREAK_START: self.break_start, _SHIFT_END: self.shift_end,
        }  # fmt: skip
        # The day's first arrivals are already in time order: they are merged with the
        # heap as it runs rather than pushed into it (retrials do go through the heap).
        first_arrivals, upcoming = len(arrived), 0
        watch = any(queue.overflow for queue in self.plan.queues)
        while events or upcoming < first_arrivals:
            if upcoming < first_arrivals and (
                not events or (arrived[upcoming], _ARRIVAL) < events[0][:2]
            ):
                now = self.now = arrived[upcoming]
                self.arrival(now, upcoming, 0)
                upcoming += 1
            else:
                now, kind, _, first, second = heapq.heappop(events)
                self.now = now
                handlers[kind](now, first, second)
                if kind not in (_TICK, _ARRIVAL):
                    continue
            # Only arrivals and ticks put contacts in waiting with a step to come, and only
            # overflow steps make ticks (the engine's own limits never fire here).
            if watch:
                self.schedule_tick(engine.next_due(), now)
        return self.record()

    def schedule_tick(self, due: float | None, now: float) -> None:
        # With no limits (NO_LIMIT_SECONDS) the engine's deadlines never count here.
        if due is not None and due < self.next_tick:
            due = max(due, now)
            self.next_tick = due
            if due not in self.tick_times:  # one heap entry per instant is enough
                self.tick_times.add(due)
                self.push(due, _TICK, 0)

    def apply(self, decisions: list[Decision], now: float) -> None:
        for decision in decisions:
            kind = type(decision)
            if kind is Offer:
                assert isinstance(decision, Offer)
                self.offered(decision.contact_id, decision.agent_id, now)
            elif kind is WrapUpStarted:
                assert isinstance(decision, WrapUpStarted)
                self.wrap_up_started(decision.contact_id, decision.agent_id, now)
            elif kind is WrapUpEnded:
                assert isinstance(decision, WrapUpEnded)
                agent = decision.agent_id
                self.wrapping[agent] -= 1
                self.wrapped[decision.contact_id] = now
                self.agent_changed(agent, now)
                self.try_logout(agent, now)
            elif kind is OfferTimedOut:  # only if ring_seconds outlasted the engine's limit
                assert isinstance(decision, OfferTimedOut)
                self.busy[decision.agent_id] -= 1
                self.status[decision.contact_id] = _WAITING
                self.agent_changed(decision.agent_id, now)
            elif kind is AgentStateChanged:
                assert isinstance(decision, AgentStateChanged)
                ready = decision.presence is Presence.READY
                self.presence[decision.agent_id] = _READY if ready else _NOT_READY
                self.agent_changed(decision.agent_id, now)
            # Overflowed and Requeued change nothing the simulator keeps.

    # --- contacts -------------------------------------------------------------------

    def arrival(self, now: float, contact: int, _: int) -> None:
        queue = self.queue_of[contact]
        self.queue_changed(queue, now, 1)
        patience = self.patience[contact]
        if patience != math.inf:
            self.push(now + patience, _ABANDON, contact)
        priority = self.priority.get(contact, 0.0) if self.priority else 0.0
        self.apply(self.engine.enqueue(Contact(contact, queue, priority), now), now)

    def offered(self, contact: int, agent: int, now: float) -> None:
        self.handler[contact] = agent
        self.busy[agent] += 1
        self.agent_changed(agent, now)
        if self.ring:
            self.status[contact] = _RINGING
            self.push(now + self.ring, _ANSWER, contact, agent)
        else:
            self.answer(now, contact, agent)

    def answer(self, now: float, contact: int, agent: int) -> None:
        if self.ring and (self.status[contact] != _RINGING or self.handler[contact] != agent):
            return  # hung up while it rang
        decisions = self.engine.offer_accepted(contact, now)
        self.status[contact] = _TALKING
        self.answered[contact] = now
        self.queue_changed(self.queue_of[contact], now, -1)
        self.push(now + self.handle[contact], _END, contact)
        if decisions:
            self.apply(decisions, now)

    def abandon(self, now: float, contact: int, _: int) -> None:
        status = self.status[contact]
        if status not in (_WAITING, _RINGING):
            return
        self.status[contact] = _DONE
        self.abandoned[contact] = now
        queue = self.queue_of[contact]
        self.queue_changed(queue, now, -1)
        decisions = self.engine.contact_ended(contact, now)
        if status == _RINGING:
            agent = self.handler[contact]
            self.busy[agent] -= 1
            self.agent_changed(agent, now)
            self.try_logout(agent, now)
        self.apply(decisions, now)
        retrial = self.plan.retrial[queue]
        if retrial is not None and self.streams.retrial.random() < retrial.probability:
            delay = self.streams.retrial.exponential(retrial.mean_delay_seconds)
            self.new_contact(queue, now + delay, retrial.priority)

    def new_contact(self, queue: int, at: float, priority: float) -> None:
        contact = len(self.arrived)
        if priority:
            self.priority[contact] = priority
        self.arrived.append(at)
        self.queue_of.append(queue)
        self.handle += draw_durations(self.plan.handle[queue], 1, self.streams.handle)
        patience = self.plan.patience[queue]
        self.patience += (
            draw_durations(patience, 1, self.streams.patience) if patience else [math.inf]
        )
        for column in (self.answered, self.abandoned, self.ended, self.wrapped):
            column.append(None)
        self.status.append(_WAITING)
        self.handler.append(-1)
        self.push(at, _ARRIVAL, contact)

    def end_talk(self, now: float, contact: int, _: int) -> None:
        self.status[contact] = _DONE
        self.ended[contact] = now
        self.apply(self.engine.contact_ended(contact, now), now)

    def wrap_up_started(self, contact: int, agent: int, now: float) -> None:
        self.busy[agent] -= 1
        self.wrapping[agent] += 1
        self.agent_changed(agent, now)
        seconds = self.plan.wrap_up_seconds[self.queue_of[contact]]
        if seconds:
            self.push(now + seconds, _WRAP_DONE, contact, agent)
        else:
            self.wrap_done(now, contact, agent)

    def wrap_done(self, now: float, contact: int, agent: int) -> None:
        self.apply(self.engine.wrap_up_done(agent, contact, now), now)

    def tick(self, now: float, _: int, __: int) -> None:
        self.tick_times.discard(now)
        if now == self.next_tick:
            self.next_tick = math.inf
            self.apply(self.engine.tick(now), now)

    # --- agents ---------------------------------------------------------------------

    def shift_start(self, now: float, agent: int, _: int) -> None:
        self.engine.agent_login(self.plan.agents[agent], now)
        self.leaving[agent] = False
        self.presence[agent] = _READY
        self.agent_changed(agent, now)
        self.apply(self.engine.agent_ready(agent, now), now)

    def break_start(self, now: float, agent: int, _: int) -> None:
        self.engine.agent_not_ready(agent, NotReadyReason.BREAK, now)
        self.presence[agent] = _NOT_READY
        self.agent_changed(agent, now)

    def break_end(self, now: float, agent: int, _: int) -> None:
        self.presence[agent] = _READY
        self.agent_changed(agent, now)
        self.apply(self.engine.agent_ready(agent, now), now)

    def shift_end(self, now: float, agent: int, _: int) -> None:
        # Not ready first: an agent still on a contact finishes it, then logs out.
        self.engine.agent_not_ready(agent, NotReadyReason.OFF_PHONE_WORK, now)
        self.presence[agent] = _NOT_READY
        self.leaving[agent] = True
        self.agent_changed(agent, now)
        self.try_logout(agent, now)

    def try_logout(self, agent: int, now: float) -> None:
        if self.leaving[agent] and not self.busy[agent] and not self.wrapping[agent]:
            self.leaving[agent] = False
            self.apply(self.engine.agent_logout(agent, now), now)
            self.presence[agent] = _OUT
            self.agent_changed(agent, now)

    # --- bookkeeping ----------------------------------------------------------------

    def agent_changed(self, agent: int, now: float) -> None:
        state = (
            _BUSY if self.busy[agent] else _WRAP if self.wrapping[agent] else self.presence[agent]
        )
        old = self.state[agent]
        if state != old:
            since = self.since[agent]
            # A state held for no time (wrap-up of 0 s, say) leaves nothing to count.
            if old != _OUT and now > since:
                self.totals[agent][old] += now - since
                self.agent_segments.add(self.plan.agent_group[agent] * 4 + old, since, now)
            self.state[agent], self.since[agent] = state, now

    def queue_changed(self, queue: int, now: float, delta: int) -> None:
        count = self.waiting[queue]
        if count and now > self.waiting_since[queue]:
            self.queue_segments.add(queue, self.waiting_since[queue], now, count)
        self.waiting[queue], self.waiting_since[queue] = count + delta, now

    def record(self) -> DayRecord:
        end = max(self.now, self.close)
        for agent in range(len(self.state)):
            self.presence[agent], self.busy[agent], self.wrapping[agent] = _OUT, 0, 0
            self.agent_changed(agent, end)
        for queue in range(len(self.waiting)):
            self.queue_changed(queue, end, 0)
        outcomes = [
            ContactOutcome(queue, arrived, answered, abandoned, ended, wrapped)
            for queue, arrived, answered, abandoned, ended, wrapped in zip(
                self.queue_of, self.arrived, self.answered, self.abandoned, self.ended,
                self.wrapped, strict=True,
            )
        ]  # fmt: skip
        agent_time = [AgentTime(agent, *seconds) for agent, seconds in enumerate(self.totals)]
        group_seconds, _ = self.agent_segments.binned()
        queue_area, queue_max = self.queue_segments.binned()
        groups = group_seconds.reshape(-1, 4, self.intervals).tolist()
        return DayRecord(outcomes, queue_area.tolist(), queue_max.tolist(), groups, agent_time)
