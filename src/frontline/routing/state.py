"""Between the tables and the pure engine: configuration from rows, snapshots to JSON.

The engine's own snapshot types are what a router rebuilds from, so the rows store them
(one contact's or one agent's part at a time) and this module turns them back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from frontline.org.models import Queue, QueueOverflowStep, Skill
from frontline.people.models import Agent
from frontline.routing.model import (
    AgentConfig,
    AgentSnapshot,
    ContactSnapshot,
    NotReadyReason,
    OfferKind,
    OverflowStep,
    Phase,
    Presence,
    QueueConfig,
    SkillRequirement,
    WorkSnapshot,
)

# Contacts at once per channel for an agent skilled on it: one call, three chats, five
# of the written channels (the examples of the product brief).
DEFAULT_CAPACITY: Mapping[str, int] = {"voice": 1, "chat": 3, "email": 5, "web": 5, "fax": 5}


def queue_configs(session: Session) -> list[QueueConfig]:
    """Every queue, active or not: contacts may still wait in a queue just deactivated."""
    steps: dict[int, list[QueueOverflowStep]] = {}
    for step in session.scalars(
        select(QueueOverflowStep)
        .where(QueueOverflowStep.active.is_(True))
        .order_by(QueueOverflowStep.queue_id, QueueOverflowStep.after_seconds)
    ):
        steps.setdefault(step.queue_id, []).append(step)
    queues = session.scalars(select(Queue).options(selectinload(Queue.skill)))
    return [queue_config(queue, steps.get(queue.id, ())) for queue in queues]


def queue_config(queue: Queue, steps: Iterable[QueueOverflowStep]) -> QueueConfig:
    return QueueConfig(
        queue_id=queue.id,
        channel=queue.skill.channel.value,
        requirements=(SkillRequirement(queue.skill_id, queue.min_proficiency),),
        priority=queue.priority,
        aging_per_second=queue.aging_per_second,
        overflow=tuple(
            OverflowStep(
                step.after_seconds,
                ()
                if step.skill_id is None
                else (SkillRequirement(step.skill_id, step.min_proficiency),),
            )
            for step in steps
        ),
        wrap_up_limit_seconds=queue.wrap_up_limit_seconds,
        offer_timeout_seconds=queue.offer_timeout_seconds,
    )


def agent_config(session: Session, agent_id: int) -> AgentConfig:
    """The agent's active skills, and the default capacity on each channel they cover."""
    agent = session.get_one(Agent, agent_id)
    skills: dict[int, int] = {}
    channels: set[str] = set()
    for grant in agent.skills:
        skill = session.get_one(Skill, grant.skill_id)
        if skill.active:
            skills[grant.skill_id] = grant.proficiency
            channels.add(skill.channel.value)
    return AgentConfig(
        agent_id, skills, {channel: DEFAULT_CAPACITY[channel] for channel in channels}
    )


# --- snapshots as JSON ------------------------------------------------------------------


def contact_to_json(snapshot: ContactSnapshot) -> dict[str, Any]:
    return {
        "queue_id": snapshot.queue_id,
        "priority": snapshot.priority,
        "seq": snapshot.seq,
        "enqueued_at": snapshot.enqueued_at,
        "kind": snapshot.kind.value,
        "stage": snapshot.stage,
        "target_agent_id": snapshot.target_agent_id,
        "handler_id": snapshot.handler_id,
        "offered_to": snapshot.offered_to,
        "rejected_by": sorted(snapshot.rejected_by),
        "waiting": snapshot.waiting,
    }


def contact_from_json(contact_id: int, data: Mapping[str, Any]) -> ContactSnapshot:
    return ContactSnapshot(
        contact_id=contact_id,
        queue_id=data["queue_id"],
        priority=data["priority"],
        seq=data["seq"],
        enqueued_at=data["enqueued_at"],
        kind=OfferKind(data["kind"]),
        stage=data["stage"],
        target_agent_id=data["target_agent_id"],
        handler_id=data["handler_id"],
        offered_to=data["offered_to"],
        rejected_by=frozenset(data["rejected_by"]),
        waiting=data["waiting"],
    )


def agent_to_json(snapshot: AgentSnapshot) -> dict[str, Any]:
    """Everything but the configuration, which is read afresh from the agent's skills."""
    return {
        "presence": snapshot.presence.value,
        "reason": None if snapshot.reason is None else snapshot.reason.value,
        "idle_since": snapshot.idle_since,
        "busy_seconds_today": snapshot.busy_seconds_today,
        "work": [
            {
                "contact_id": item.contact_id,
                "channel": item.channel,
                "queue_id": item.queue_id,
                "phase": item.phase.value,
                "since": item.since,
                "deadline": item.deadline,
            }
            for item in snapshot.work
        ],
    }


def agent_from_json(config: AgentConfig, data: Mapping[str, Any]) -> AgentSnapshot:
    return AgentSnapshot(
        config=config,
        presence=Presence(data["presence"]),
        reason=None if data["reason"] is None else NotReadyReason(data["reason"]),
        idle_since=data["idle_since"],
        busy_seconds_today=data["busy_seconds_today"],
        work=tuple(
            WorkSnapshot(
                item["contact_id"],
                item["channel"],
                item["queue_id"],
                Phase(item["phase"]),
                item["since"],
                item["deadline"],
            )
            for item in data["work"]
        ),
    )
