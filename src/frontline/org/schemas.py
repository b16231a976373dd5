"""API shapes of sites, products, skills, queues and teams."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from frontline.core.fields import (
    Code,
    CountryCode,
    Id,
    LanguageCode,
    LongText,
    Name,
    TimeZoneName,
)
from frontline.core.resources import ListFilters
from frontline.core.schemas import Input, partial_model
from frontline.metrics.model import AbandonTreatment
from frontline.org.models import Channel

Proficiency = Annotated[int, Field(ge=1, le=5)]


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    active: bool
    created_at: datetime
    updated_at: datetime


class SiteCreate(Input):
    code: Code
    name: Name
    city: Name
    country: CountryCode
    time_zone: TimeZoneName


class SiteRead(Read, SiteCreate):
    pass


class ProductCreate(Input):
    code: Code
    name: Name
    description: LongText = ""


class ProductRead(Read, ProductCreate):
    pass


class SkillCreate(Input):
    product_id: Id
    language: LanguageCode
    channel: Channel


class SkillRead(Read, SkillCreate):
    pass


class SkillFilters(ListFilters):
    product_id: Id | None = None
    language: str | None = None
    channel: Channel | None = None


class QueueCreate(Input):
    code: Code
    name: Name
    skill_id: Id
    min_proficiency: Proficiency = 1
    service_level_target: float = Field(default=0.9, gt=0, le=1)
    target_answer_seconds: int = Field(default=20, gt=0, le=7 * 24 * 3600)
    wrap_up_limit_seconds: int = Field(default=120, gt=0, le=3600)
    service_level_policy: AbandonTreatment = AbandonTreatment.SHORT_IGNORED
    short_abandon_seconds: int = Field(default=5, ge=0, le=600)
    priority: float = Field(default=0.0, ge=-1000, le=1000)
    aging_per_second: float = Field(default=0.0, ge=0, le=100)
    offer_timeout_seconds: int = Field(default=20, gt=0, le=600)


class QueueRead(Read, QueueCreate):
    pass


class QueueFilters(ListFilters):
    skill_id: Id | None = None


class TeamCreate(Input):
    name: Name
    site_id: Id
    supervisor_id: Id | None = None


class TeamRead(Read, TeamCreate):
    pass


class TeamFilters(ListFilters):
    site_id: Id | None = None


SiteUpdate = partial_model(SiteCreate, "SiteUpdate")
ProductUpdate = partial_model(ProductCreate, "ProductUpdate")
SkillUpdate = partial_model(SkillCreate, "SkillUpdate")
QueueUpdate = partial_model(QueueCreate, "QueueUpdate")
TeamUpdate = partial_model(TeamCreate, "TeamUpdate")


class OverflowStepCreate(Input):
    """After ``after_seconds``, agents with ``skill_id`` (none: anyone on the channel)."""

    queue_id: Id
    after_seconds: int = Field(ge=0, le=24 * 3600)
    skill_id: Id | None = None
    min_proficiency: Proficiency = 1


class OverflowStepRead(Read, OverflowStepCreate):
    pass


class OverflowStepFilters(ListFilters):
    queue_id: Id | None = None


OverflowStepUpdate = partial_model(OverflowStepCreate, "OverflowStepUpdate")
