"""Agents described once for the API and the admin pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from frontline.auth.access import can_manage_agents, can_read_agents
from frontline.auth.models import User
from frontline.core.errors import InvalidInput
from frontline.core.resources import Reference, Resource
from frontline.org.models import Team
from frontline.org.resources import SITE_REFERENCE, TEAM_REFERENCE
from frontline.people import schemas
from frontline.people.models import Agent, AgentLevel

MENTOR_REFERENCE = Reference(
    Agent,
    lambda row: row.full_name,
    where=lambda: Agent.level.in_([AgentLevel.SPECIALIST, AgentLevel.LEADING_SPECIALIST]),
)
USER_REFERENCE = Reference(User, lambda row: row.email)


def check_agent(session: Session, values: Mapping[str, Any]) -> None:
    """Rules across fields: probation after hire, no self-mentoring, a team of the same site."""
    hire, probation_end = values.get("hire_date"), values.get("probation_end")
    if hire is not None and probation_end is not None and probation_end < hire:
        raise InvalidInput("Probation cannot end before the hire date", field="probation_end")
    if values.get("mentor_id") is not None and values.get("mentor_id") == values.get("id"):
        raise InvalidInput("An agent cannot mentor themselves", field="mentor_id")
    team_id = values.get("team_id")
    if team_id is not None:
        team = session.get(Team, team_id)
        if team is not None and team.site_id != values.get("site_id"):
            raise InvalidInput("The team belongs to another site", field="team_id")


AGENTS = Resource(
    name="agents",
    model=Agent,
    read_schema=schemas.AgentRead,
    create_schema=schemas.AgentCreate,
    update_schema=schemas.AgentUpdate,
    filter_schema=schemas.AgentFilters,
    search_columns=(Agent.full_name, Agent.employee_number, Agent.email),
    order_by=(Agent.full_name, Agent.id),
    unique=(("employee_number",), ("email",), ("user_id",), ("extension",)),
    references={
        "site_id": SITE_REFERENCE,
        "team_id": TEAM_REFERENCE,
        "mentor_id": MENTOR_REFERENCE,
        "user_id": USER_REFERENCE,
    },
    check_values=check_agent,
    can_read=can_read_agents,
    can_write=can_manage_agents,
)
