"""API shapes of sites, products, skills, queues and teams."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from frontline.core.fields import Code, CountryCode, LanguageCode, LongText, Name, TimeZoneName
from frontline.core.resources import ListFilters
from frontline.core.schemas import partial_model
from frontline.org.models import Channel

Proficiency = Annotated[int, Field(ge=1, le=5)]


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    active: bool
    created_at: datetime
    updated_at: datetime


class SiteCreate(BaseModel):
    code: Code
    name: Name
    city: Name
    country: CountryCode
    time_zone: TimeZoneName


class SiteRead(Read, SiteCreate):
    pass


class ProductCreate(BaseModel):
    code: Code
    name: Name
    description: LongText = ""


class ProductRead(Read, ProductCreate):
    pass


class SkillCreate(BaseModel):
    product_id: int = Field(gt=0)
    language: LanguageCode
    channel: Channel


class SkillRead(Read, SkillCreate):
    pass


class SkillFilters(ListFilters):
    product_id: int | None = None
    language: str | None = None
    channel: Channel | None = None


class QueueCreate(BaseModel):
    code: Code
    name: Name
    skill_id: int = Field(gt=0)
    min_proficiency: Proficiency = 1
    service_level_target: float = Field(default=0.9, gt=0, le=1)
    target_answer_seconds: int = Field(default=20, gt=0, le=7 * 24 * 3600)
    wrap_up_limit_seconds: int = Field(default=120, ge=0, le=3600)


class QueueRead(Read, QueueCreate):
    pass


class QueueFilters(ListFilters):
    skill_id: int | None = None


class TeamCreate(BaseModel):
    name: Name
    site_id: int = Field(gt=0)
    supervisor_id: int | None = Field(default=None, gt=0)


class TeamRead(Read, TeamCreate):
    pass


class TeamFilters(ListFilters):
    site_id: int | None = None


SiteUpdate = partial_model(SiteCreate, "SiteUpdate")
ProductUpdate = partial_model(ProductCreate, "ProductUpdate")
SkillUpdate = partial_model(SkillCreate, "SkillUpdate")
QueueUpdate = partial_model(QueueCreate, "QueueUpdate")
TeamUpdate = partial_model(TeamCreate, "TeamUpdate")
