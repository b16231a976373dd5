"""Queries about agents; nothing here commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from frontline.org.models import Site, Skill
from frontline.people.models import Agent, AgentLevel, AgentSkill


@dataclass(frozen=True)
class Headcount:
    """Active agents of one level at one site, and the hours their contracts add up to."""

    site_id: int
    site_name: str
    level: AgentLevel
    agents: int
    contract_hours_per_week: float


def agent_of_user(session: Session, user_id: int) -> Agent | None:
    """The agent profile linked to the user account ``user_id``, with what a profile shows."""
    query = (
        select(Agent)
        .options(
            joinedload(Agent.site),
            joinedload(Agent.team),
            joinedload(Agent.mentor),
            selectinload(Agent.skills).joinedload(AgentSkill.skill).joinedload(Skill.product),
        )
        .where(Agent.user_id == user_id)
    )
    return session.scalar(query)


def agent_id_of(session: Session, user_id: int) -> int | None:
    """The id of the agent record linked to a user account (routing works with agents)."""
    agent_id: int | None = session.scalar(select(Agent.id).where(Agent.user_id == user_id))
    return agent_id


def agents_in_teams(session: Session, team_ids: Iterable[int]) -> Sequence[Agent]:
    """Active agents of the teams ``team_ids``, by name."""
    ids = list(team_ids)
    if not ids:
        return []
    query = (
        select(Agent)
        .where(Agent.team_id.in_(ids), Agent.active.is_(True))
        .order_by(Agent.full_name, Agent.id)
    )
    return session.scalars(query).all()


def headcount(session: Session) -> list[Headcount]:
    """Head-count and contract hours of active agents per site and level."""
    query = (
        select(
            Site.id,
            Site.name,
            Agent.level,
            func.count(Agent.id),
            func.coalesce(func.sum(Agent.contract_hours_per_week), 0.0),
        )
        .join(Site, Agent.site_id == Site.id)
        .where(Agent.active.is_(True))
        .group_by(Site.id, Site.name, Agent.level)
        .order_by(Site.name, Site.id)
    )
    return [
        Headcount(site_id, site_name, AgentLevel(level), int(agents), float(hours))
        for site_id, site_name, level, agents, hours in session.execute(query)
    ]


def agents_on_probation(session: Session, today: date) -> Sequence[Agent]:
    """Active agents whose probation has not ended by ``today``, soonest end first."""
    query = (
        select(Agent)
        .options(joinedload(Agent.mentor), joinedload(Agent.site), joinedload(Agent.team))
        .where(Agent.active.is_(True), Agent.probation_end.is_not(None))
        .where(Agent.probation_end >= today)
        .order_by(Agent.probation_end, Agent.full_name)
    )
    return session.scalars(query).all()
