"""Sites, products, skills, queues and teams described once for the API and the pages."""

from __future__ import annotations

from typing import Any

from frontline.auth.access import can_manage_reference_data, can_read_reference_data
from frontline.auth.models import Role, User
from frontline.core.resources import ListFilters, Reference, Resource
from frontline.org import schemas
from frontline.org.models import Product, Queue, QueueOverflowStep, Site, Skill, Team


def skill_label(skill: Any) -> str:
    return f"{skill.product.name} · {skill.language} · {skill.channel}"


PRODUCT_REFERENCE = Reference(Product, lambda row: row.name)
SITE_REFERENCE = Reference(Site, lambda row: row.name)
SKILL_REFERENCE = Reference(Skill, skill_label)
TEAM_REFERENCE = Reference(Team, lambda row: f"{row.name} ({row.site.name})")
SUPERVISOR_REFERENCE = Reference(
    User, lambda row: row.full_name, where=lambda: User.role.in_([Role.SUPERVISOR, Role.ADMIN])
)

_ACCESS: dict[str, Any] = {
    "can_read": can_read_reference_data,
    "can_write": can_manage_reference_data,
}

SITES = Resource(
    name="sites",
    model=Site,
    read_schema=schemas.SiteRead,
    create_schema=schemas.SiteCreate,
    update_schema=schemas.SiteUpdate,
    filter_schema=ListFilters,
    search_columns=(Site.code, Site.name, Site.city),
    order_by=(Site.name,),
    unique=(("code",),),
    **_ACCESS,
)

PRODUCTS = Resource(
    name="products",
    model=Product,
    read_schema=schemas.ProductRead,
    create_schema=schemas.ProductCreate,
    update_schema=schemas.ProductUpdate,
    filter_schema=ListFilters,
    search_columns=(Product.code, Product.name),
    order_by=(Product.name,),
    unique=(("code",),),
    **_ACCESS,
)

SKILLS = Resource(
    name="skills",
    model=Skill,
    read_schema=schemas.SkillRead,
    create_schema=schemas.SkillCreate,
    update_schema=schemas.SkillUpdate,
    filter_schema=schemas.SkillFilters,
    search_columns=(Skill.language, Skill.channel),
    order_by=(Skill.product_id, Skill.language, Skill.channel),
    unique=(("product_id", "language", "channel"),),
    references={"product_id": PRODUCT_REFERENCE},
    **_ACCESS,
)

QUEUES = Resource(
    name="queues",
    model=Queue,
    read_schema=schemas.QueueRead,
    create_schema=schemas.QueueCreate,
    update_schema=schemas.QueueUpdate,
    filter_schema=schemas.QueueFilters,
    search_columns=(Queue.code, Queue.name),
    order_by=(Queue.name,),
    unique=(("code",),),
    references={"skill_id": SKILL_REFERENCE},
    **_ACCESS,
)

TEAMS = Resource(
    name="teams",
    model=Team,
    read_schema=schemas.TeamRead,
    create_schema=schemas.TeamCreate,
    update_schema=schemas.TeamUpdate,
    filter_schema=schemas.TeamFilters,
    search_columns=(Team.name,),
    order_by=(Team.name,),
    unique=(("site_id", "name"),),
    references={"site_id": SITE_REFERENCE, "supervisor_id": SUPERVISOR_REFERENCE},
    **_ACCESS,
)

OVERFLOW_STEPS = Resource(
    name="overflow-steps",
    model=QueueOverflowStep,
    read_schema=schemas.OverflowStepRead,
    create_schema=schemas.OverflowStepCreate,
    update_schema=schemas.OverflowStepUpdate,
    filter_schema=schemas.OverflowStepFilters,
    search_columns=(),
    order_by=(QueueOverflowStep.queue_id, QueueOverflowStep.after_seconds),
    unique=(("queue_id", "after_seconds"),),
    references={
        "queue_id": Reference(Queue, lambda row: row.name),
        "skill_id": SKILL_REFERENCE,
    },
    **_ACCESS,
)
