"""API shapes of the remedy catalogue and of grants on contacts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from frontline.core.fields import Id, Name
from frontline.core.resources import ListFilters
from frontline.core.schemas import Input, partial_model
from frontline.org.schemas import Read
from frontline.remedies.models import GrantStatus

# A ceiling on any single remedy: a typo of three extra zeros is refused outright.
MAX_REMEDY_AMOUNT = 10_000_000
Amount = Annotated[int, Field(ge=0, le=MAX_REMEDY_AMOUNT)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]


class RemedyCreate(Input):
    product_id: Id
    problem: Name = Field(description="The problem type it answers, e.g. 'Courier late'")
    name: Name
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""
    max_amount: Amount = Field(default=0, description="Absolute maximum; 0 when no money")
    agent_limit: Amount = Field(
        default=0, description="Up to this an agent grants alone; above, a supervisor approves"
    )


class RemedyRead(Read, RemedyCreate):
    pass


class RemedyFilters(ListFilters):
    product_id: Id | None = None


RemedyUpdate = partial_model(RemedyCreate, "RemedyUpdate")


class GrantCreate(Input):
    remedy_id: Id
    amount: Amount = 0
    note: Note = ""


class GrantDecision(Input):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class GrantRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    contact_id: int
    remedy_id: int
    amount: int
    note: str
    status: GrantStatus
    requested_by_id: int
    requested_at: datetime
    decided_by_id: int | None
    decided_at: datetime | None
    decision_reason: str
