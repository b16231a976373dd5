"""Queries of the assistant: conversations by their public id, chat queues, the report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontline.assistant.dialogue import Intent
from frontline.assistant.models import AssistantConversation, AssistantTurn
from frontline.core.errors import NotFound
from frontline.org.models import Channel, Queue, Skill

VERIFICATION_WINDOW = timedelta(hours=24)
UTC = ZoneInfo("UTC")


def conversation_by_public_id(session: Session, public_id: str) -> AssistantConversation:
    found = session.scalars(
        select(AssistantConversation).where(AssistantConversation.public_id == public_id[:32])
    ).first()
    if found is None:
        raise NotFound(f"No conversation {public_id[:32]}", field="conversation_id")
    return found


def chat_queue(session: Session, language: str) -> Queue | None:
    """The chat queue a hand-off goes to: one in the customer's language if there is one."""
    queues = list(
        session.scalars(
            select(Queue)
            .join(Skill, Skill.id == Queue.skill_id)
            .where(Queue.active.is_(True), Skill.channel == Channel.CHAT)
            .order_by(Queue.id)
        )
    )
    in_language = [queue for queue in queues if queue.skill.language == language]
    preferred = in_language or queues
    return preferred[0] if preferred else None


def failed_verifications(session: Session, contact_id: int, since: datetime) -> int:
    """Wrong answers to "which phone or e-mail" for one request, in every conversation."""
    count = session.scalar(
        select(func.count())
        .select_from(AssistantTurn)
        .where(
            AssistantTurn.contact_id == contact_id,
            AssistantTurn.intent == Intent.VERIFICATION.value,
            AssistantTurn.resolved.is_(False),
            AssistantTurn.at >= since,
        )
    )
    return int(count or 0)


@dataclass(frozen=True)
class ReportRow:
    day: date
    intent: str
    turns: int
    resolved: int
    # Hand-offs that came right after a turn of this intent: where customers gave up on it.
    handed_off_after: int


def report(session: Session, start: datetime, end: datetime, zone: ZoneInfo) -> list[ReportRow]:
    """Turns per local day and intent in ``[start, end)``, newest day first."""
    rows = session.execute(
        select(
            AssistantTurn.at,
            AssistantTurn.intent,
            AssistantTurn.resolved,
            AssistantTurn.previous_intent,
        ).where(AssistantTurn.at >= start, AssistantTurn.at < end)
    ).all()
    turns: Counter[tuple[date, str]] = Counter()
    resolved: Counter[tuple[date, str]] = Counter()
    after: Counter[tuple[date, str]] = Counter()
    for at, intent, was_resolved, previous in rows:
        day = at.astimezone(zone).date()
        turns[(day, intent)] += 1
        resolved[(day, intent)] += int(was_resolved)
        if intent == Intent.HANDOFF.value:
            after[(day, previous or "")] += 1
    keys = sorted(set(turns) | set(after), key=lambda key: (-key[0].toordinal(), key[1]))
    return [
        ReportRow(day, intent, turns[(day, intent)], resolved[(day, intent)], after[(day, intent)])
        for day, intent in keys
    ]
