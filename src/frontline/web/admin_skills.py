"""An agent's skills on the agent's admin page: one proficiency choice per active skill."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from frontline.core.errors import InvalidInput
from frontline.core.fields import Id
from frontline.core.resources import options
from frontline.org.resources import SKILL_REFERENCE
from frontline.people import actions
from frontline.people.models import Agent
from frontline.people.schemas import AgentSkillsSet
from frontline.web.dependencies import DbSession
from frontline.web.i18n import N_
from frontline.web.page_routes import FormFields, PageRoute, PageUser
from frontline.web.templating import flash

SKILL_FIELD_PREFIX = "skill-"
PROFICIENCY_LEVELS = (1, 2, 3, 4, 5)

router = APIRouter(prefix="/admin/agents", route_class=PageRoute, include_in_schema=False)


@dataclass(frozen=True)
class SkillChoice:
    skill_id: int
    label: str
    proficiency: int | None  # None: the agent does not have the skill

    @property
    def field(self) -> str:
        return f"{SKILL_FIELD_PREFIX}{self.skill_id}"


def skills_panel(session: Session, agent: Agent) -> list[SkillChoice]:
    """Every active skill with the agent's proficiency in it, if any."""
    current = {grant.skill_id: grant.proficiency for grant in agent.skills}
    return [
        SkillChoice(skill_id, label, current.get(skill_id))
        for skill_id, label in options(session, SKILL_REFERENCE)
    ]


def _grants(form: FormFields) -> list[dict[str, str]]:
    """``skill-7=3`` → skill 7 at level 3; an empty choice takes the skill away."""
    grants = []
    for key, value in form.multi_items():
        skill_id = key.removeprefix(SKILL_FIELD_PREFIX)
        wanted = isinstance(value, str) and value.strip()
        if key.startswith(SKILL_FIELD_PREFIX) and skill_id.isdigit() and wanted:
            grants.append({"skill_id": skill_id, "proficiency": str(value).strip()})
    return grants


@router.post("/{row_id}/skills")
def save_skills(
    row_id: Id, request: Request, user: PageUser, session: DbSession, form: FormFields
) -> Response:
    try:
        payload = AgentSkillsSet.model_validate({"skills": _grants(form)})
        actions.set_agent_skills(session, user, row_id, payload)
    except (ValidationError, InvalidInput):
        # Only a tampered form or a skill deactivated meanwhile gets here.
        session.rollback()
        flash(request, N_("The skills were not saved: reload the page and try again"), error=True)
    else:
        flash(request, N_("Skills saved"))
    return RedirectResponse(f"/admin/agents/{row_id}", status_code=303)
