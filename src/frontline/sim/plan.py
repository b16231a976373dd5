"""The scenario compiled once for the routing engine: its queues and agents, and every
agent's shift and break events, shared by all replications."""

from __future__ import annotations

import math
from dataclasses import dataclass

from frontline.routing import AgentConfig, OverflowStep, QueueConfig, SkillRequirement
from frontline.sim.scenario import Distribution, Retrial, Scenario, SkillNeed

__all__ = ["NO_LIMIT_SECONDS", "Plan"]

# Event kinds, in the order they go first when they fall on the same instant: agents come
# and come back from breaks before the calls of that instant, and leave after them.
SHIFT_START, BREAK_END, END, WRAP_DONE, ANSWER, ABANDON, ARRIVAL = range(7)
TICK, BREAK_START, SHIFT_END = 7, 8, 9
# The simulator ends every wrap-up itself and answers every offer within ring_seconds, so
# the engine's own limits must never fire first: with no limit the engine files no
# deadline at all.
NO_LIMIT_SECONDS = math.inf


@dataclass(frozen=True, slots=True)
class Plan:
    """The scenario compiled for the engine once, shared by every replication."""

    queues: tuple[QueueConfig, ...]
    agents: tuple[AgentConfig, ...]
    agent_group: tuple[int, ...]
    # (time, kind, agent index) for every shift start and end and break start and end.
    agent_events: tuple[tuple[float, int, int], ...]
    handle: tuple[Distribution, ...]
    patience: tuple[Distribution | None, ...]
    wrap_up_seconds: tuple[float, ...]
    retrial: tuple[Retrial | None, ...]

    @classmethod
    def of(cls, scenario: Scenario) -> Plan:
        skills = scenario.skill_ids()

        def group(needs: tuple[SkillNeed, ...]) -> tuple[SkillRequirement, ...]:
            return tuple(SkillRequirement(skills[n.skill], n.min_proficiency) for n in needs)

        queues = tuple(
            QueueConfig(
                index,
                queue.channel,
                group(queue.skills),
                priority=queue.priority,
                aging_per_second=queue.aging_per_second,
                overflow=tuple(
                    OverflowStep(s.after_seconds, group(s.skills)) for s in queue.overflow
                ),
                wrap_up_limit_seconds=NO_LIMIT_SECONDS,
                offer_timeout_seconds=NO_LIMIT_SECONDS,
            )
            for index, queue in enumerate(scenario.queues)
        )
        agents: list[AgentConfig] = []
        groups: list[int] = []
        events: list[tuple[float, int, int]] = []
        for group_index, spec in enumerate(scenario.agents):
            shift = scenario.shift(spec)
            skill_levels = {skills[name]: level for name, level in spec.skills.items()}
            for _ in range(spec.count):
                agent_index = len(agents)
                agents.append(AgentConfig(agent_index, skill_levels, spec.capacity))
                groups.append(group_index)
                events += [
                    (shift.start, SHIFT_START, agent_index),
                    (shift.end, SHIFT_END, agent_index),
                ]
                for pause in spec.breaks:
                    events.append((pause.start, BREAK_START, agent_index))
                    events.append((pause.start + pause.minutes * 60, BREAK_END, agent_index))
        return cls(
            queues,
            tuple(agents),
            tuple(groups),
            tuple(events),
            tuple(queue.handle for queue in scenario.queues),
            tuple(queue.patience for queue in scenario.queues),
            tuple(queue.wrap_up_seconds for queue in scenario.queues),
            tuple(queue.retrial for queue in scenario.queues),
        )
