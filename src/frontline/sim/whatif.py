"""What-if variants of a day: more calls, longer calls, fewer agents, a new overflow rule.

A pure function from a baseline :class:`Scenario` and a :class:`WhatIf` to the changed
scenario. Both keep the baseline's seed, so the two runs see the same arrivals (common
random numbers) and their difference is mostly the change. Shipped example days live in
``days/`` beside this module.

>>> from frontline.sim import load_scenario
>>> day = load_scenario(example_days()["morning-three-queues"])
>>> changed = apply_what_if(day, WhatIf(volume_percent=10, fewer_agents=2))
>>> changed.queues[1].arrivals[0], sum(g.count for g in changed.agents)
(11.0, 25)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from frontline.sim.loading import ScenarioError
from frontline.sim.scenario import (
    AgentGroup,
    Distribution,
    Overflow,
    QueueSpec,
    Scenario,
    SkillNeed,
)

__all__ = ["DAYS_DIR", "WhatIf", "apply_what_if", "example_days"]

DAYS_DIR = Path(__file__).parent / "days"


def example_days() -> dict[str, Path]:
    """The shipped example days by name (the file's stem)."""
    return {path.stem: path for path in sorted(DAYS_DIR.glob("*.toml"))}


@dataclass(frozen=True, slots=True)
class WhatIf:
    """The change: ``volume_percent`` more calls in every queue and interval,
    ``aht_seconds`` more talk per call, ``fewer_agents`` agents taken from the largest
    groups, and, if ``overflow_queue`` is set, agents with ``overflow_skill`` allowed to
    take that queue's calls after ``overflow_after_seconds`` of waiting."""

    volume_percent: float = 0.0
    aht_seconds: float = 0.0
    fewer_agents: int = 0
    overflow_queue: str | None = None
    overflow_after_seconds: float = 0.0
    overflow_skill: str | None = None


def apply_what_if(scenario: Scenario, change: WhatIf) -> Scenario:
    """The baseline with ``change`` applied; :class:`ScenarioError` names the bad field."""
    if change.volume_percent < -100:
        raise ScenarioError("must be >= -100", key="volume_percent")
    if change.fewer_agents < 0:
        raise ScenarioError("must be >= 0", key="fewer_agents")
    total = sum(group.count for group in scenario.agents)
    if change.fewer_agents >= total:
        raise ScenarioError(f"the day has only {total} agents", key="fewer_agents")
    queues = tuple(_queue(scenario, queue, change) for queue in scenario.queues)
    if change.overflow_queue is not None:
        queues = _with_overflow(scenario, queues, change)
    return scenario.model_copy(
        update={"queues": queues, "agents": _fewer(scenario.agents, change.fewer_agents)}
    )


def _queue(scenario: Scenario, queue: QueueSpec, change: WhatIf) -> QueueSpec:
    factor = 1 + change.volume_percent / 100
    return queue.model_copy(
        update={
            "arrivals": tuple(value * factor for value in scenario.expected_arrivals(queue)),
            "daily_volume": None,
            "profile": None,
            "handle": _longer(queue.name, queue.handle, change.aht_seconds),
        }
    )


def _longer(queue: str, handle: Distribution, seconds: float) -> Distribution:
    """Each talk ``seconds`` longer (shorter if negative): the mean moves, the spread stays."""
    if not seconds:
        return handle
    if handle.samples is not None:
        samples = tuple(value + seconds for value in handle.samples)
        if min(samples) < 0:
            raise ScenarioError(f"{queue}: would make a handle time negative", key="aht_seconds")
        return handle.model_copy(update={"samples": samples})
    mean = (handle.mean_seconds or 0.0) + seconds
    if mean <= 0:
        raise ScenarioError(f"{queue}: would make the mean handle time <= 0", key="aht_seconds")
    return handle.model_copy(update={"mean_seconds": mean})


def _with_overflow(
    scenario: Scenario, queues: tuple[QueueSpec, ...], change: WhatIf
) -> tuple[QueueSpec, ...]:
    names = [queue.name for queue in queues]
    if change.overflow_queue not in names:
        raise ScenarioError(
            f"no queue {change.overflow_queue!r} in this day ({', '.join(names)})",
            key="overflow_queue",
        )
    skills = sorted({skill for group in scenario.agents for skill in group.skills})
    if change.overflow_skill not in skills:
        raise ScenarioError(
            f"no agent has skill {change.overflow_skill!r} ({', '.join(skills)})",
            key="overflow_skill",
        )
    if change.overflow_after_seconds < 0:
        raise ScenarioError("must be >= 0", key="overflow_after_seconds")
    step = Overflow(
        after_seconds=change.overflow_after_seconds,
        skills=(SkillNeed(skill=change.overflow_skill),),
    )
    index = names.index(change.overflow_queue)
    queue = queues[index]
    steps = tuple(sorted((*queue.overflow, step), key=lambda s: s.after_seconds))
    return (*queues[:index], queue.model_copy(update={"overflow": steps}), *queues[index + 1 :])


def _fewer(groups: tuple[AgentGroup, ...], fewer: int) -> tuple[AgentGroup, ...]:
    """One agent at a time from the largest group (the first of equals); empty groups go."""
    counts = [group.count for group in groups]
    for _ in range(fewer):
        largest = max(range(len(counts)), key=lambda index: counts[index])
        counts[largest] -= 1
    return tuple(
        group.model_copy(update={"count": count})
        for group, count in zip(groups, counts, strict=True)
        if count > 0
    )
