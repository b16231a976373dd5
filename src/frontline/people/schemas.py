"""API shapes of agents and their skills."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from frontline.core.fields import Code, Email, Id, Name
from frontline.core.resources import ListFilters
from frontline.core.schemas import Input, partial_model
from frontline.org.schemas import Proficiency
from frontline.people.models import AgentLevel


class AgentCreate(Input):
    employee_number: Code
    full_name: Name
    email: Email
    site_id: Id
    team_id: Id | None = None
    level: AgentLevel = AgentLevel.CONSULTANT
    hire_date: date
    probation_end: date | None = None
    mentor_id: Id | None = None
    contract_hours_per_week: float = Field(default=40.0, gt=0, le=60)
    user_id: Id | None = None
    extension: Code | None = None


AgentUpdate = partial_model(AgentCreate, "AgentUpdate")


class AgentRead(AgentCreate):
    model_config = ConfigDict(from_attributes=True)

    id: int
    active: bool
    created_at: datetime
    updated_at: datetime


class AgentFilters(ListFilters):
    site_id: Id | None = None
    team_id: Id | None = None
    level: AgentLevel | None = None
    mentor_id: Id | None = None


class AgentSkillGrant(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    skill_id: Id
    proficiency: Proficiency


class AgentSkillsSet(Input):
    """The agent's whole skill set; skills not listed are taken away."""

    skills: list[AgentSkillGrant] = Field(max_length=500)
