"""Agent API: the generic life cycle plus the agent's skill set."""

from __future__ import annotations

from frontline.core.fields import Id
from frontline.core.resources import get_row
from frontline.people import actions
from frontline.people.resources import AGENTS
from frontline.people.schemas import AgentSkillGrant, AgentSkillsSet
from frontline.web.dependencies import CurrentUser, DbSession
from frontline.web.resource_api import resource_router

router = resource_router(AGENTS, tag="people")


@router.get("/{row_id}/skills", response_model=list[AgentSkillGrant], summary="The agent's skills")
def read_skills(row_id: Id, user: CurrentUser, session: DbSession) -> list[AgentSkillGrant]:
    agent = get_row(session, user, AGENTS, row_id)
    return [AgentSkillGrant.model_validate(grant) for grant in agent.skills]


@router.put(
    "/{row_id}/skills", response_model=list[AgentSkillGrant], summary="Replace the agent's skills"
)
def replace_skills(
    row_id: Id, user: CurrentUser, session: DbSession, payload: AgentSkillsSet
) -> list[AgentSkillGrant]:
    agent = actions.set_agent_skills(session, user, row_id, payload)
    return [AgentSkillGrant.model_validate(grant) for grant in agent.skills]
