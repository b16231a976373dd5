"""Changes to agents beyond the generic resource life cycle."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.audit.actions import add_audit_entry
from frontline.auth.access import require
from frontline.auth.models import User
from frontline.core.errors import InvalidInput
from frontline.core.resources import get_row
from frontline.org.models import Skill
from frontline.people.models import Agent, AgentSkill
from frontline.people.resources import AGENTS
from frontline.people.schemas import AgentSkillsSet


def set_agent_skills(session: Session, user: User, agent_id: int, payload: AgentSkillsSet) -> Agent:
    """Replace the agent's skills with ``payload``; unknown or inactive skills are refused."""
    require(AGENTS.can_write, user)
    agent: Agent = get_row(session, user, AGENTS, agent_id)
    wanted = {grant.skill_id: grant.proficiency for grant in payload.skills}
    known = set(
        session.scalars(select(Skill.id).where(Skill.id.in_(wanted), Skill.active.is_(True)))
    )
    for index, grant in enumerate(payload.skills):
        if grant.skill_id not in known:
            raise InvalidInput(
                f"No active skill with id {grant.skill_id}", field=f"skills.{index}.skill_id"
            )
    agent.skills = [
        AgentSkill(skill_id=skill_id, proficiency=level) for skill_id, level in wanted.items()
    ]
    add_audit_entry(
        session,
        user,
        "agents.skills",
        "agents",
        agent.id,
        details={str(k): v for k, v in wanted.items()},
    )
    session.commit()
    return agent
