"""What each role's home page shows; the queries live in the domains' services."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from frontline.auth.access import can_read_agents, can_read_customers, require
from frontline.auth.models import Role, User
from frontline.core.paging import PageParams, fetch_page
from frontline.core.resources import ListFilters, Resource, list_page
from frontline.customers.schemas import CustomerFilters
from frontline.customers.service import customer_query
from frontline.org import service as org_service
from frontline.org.models import Team
from frontline.people import service as people_service
from frontline.people.models import Agent, AgentLevel
from frontline.web.admin import ADMIN_RESOURCES
from frontline.web.labels import RESOURCE_TITLES

# Only the count is wanted; one row is the least a page can hold.
COUNT_ONLY = PageParams(page=1, per_page=1)


@dataclass(frozen=True)
class TeamRoster:
    team: Team
    agents: Sequence[Agent]


@dataclass
class SiteHeadcount:
    site_name: str
    by_level: dict[AgentLevel, int] = field(default_factory=dict)
    agents: int = 0
    contract_hours_per_week: float = 0.0


@dataclass(frozen=True)
class TableCount:
    name: str  # the admin page's URL segment
    total: int
    active: int


def _agent_home(session: Session, user: User, today: date) -> dict[str, Any]:
    agent = people_service.agent_of_user(session, user.id)
    skills = sorted(agent.skills, key=lambda grant: -grant.proficiency) if agent else []
    return {"agent": agent, "skills": skills, "today": today}


def _supervisor_home(session: Session, user: User, today: date) -> dict[str, Any]:
    require(can_read_agents, user)
    teams = org_service.teams_led_by(session, user.id)
    agents = people_service.agents_in_teams(session, [team.id for team in teams])
    rosters = [
        TeamRoster(team, [agent for agent in agents if agent.team_id == team.id]) for team in teams
    ]
    return {"rosters": rosters, "today": today}


def _planner_home(session: Session, user: User, today: date) -> dict[str, Any]:
    require(can_read_agents, user)
    sites: dict[int, SiteHeadcount] = {}
    total = SiteHeadcount(site_name="")
    for row in people_service.headcount(session):
        site = sites.setdefault(row.site_id, SiteHeadcount(site_name=row.site_name))
        for summary in (site, total):
            summary.by_level[row.level] = summary.by_level.get(row.level, 0) + row.agents
            summary.agents += row.agents
            summary.contract_hours_per_week += row.contract_hours_per_week
    return {"sites": list(sites.values()), "total": total, "levels": list(AgentLevel)}


def _quality_home(session: Session, user: User, today: date) -> dict[str, Any]:
    require(can_read_agents, user)
    return {"agents": people_service.agents_on_probation(session, today), "today": today}


def table_counts(session: Session, user: User, tables: Sequence[Resource]) -> list[TableCount]:
    """Rows and active rows of each table, counted through the same door as the lists."""
    counts: list[TableCount] = []
    for resource in tables:
        _, total = list_page(session, user, resource, ListFilters(), COUNT_ONLY)
        _, active = list_page(session, user, resource, ListFilters(active=True), COUNT_ONLY)
        counts.append(TableCount(resource.name, total, active))
    if can_read_customers(user):
        # Counting reads no one's personal data, so it leaves no audit row.
        _, total = fetch_page(session, customer_query(CustomerFilters()), COUNT_ONLY)
        _, active = fetch_page(session, customer_query(CustomerFilters(active=True)), COUNT_ONLY)
        counts.append(TableCount("customers", total, active))
    return counts


def _admin_home(session: Session, user: User, today: date) -> dict[str, Any]:
    return {"counts": table_counts(session, user, ADMIN_RESOURCES), "titles": RESOURCE_TITLES}


HomeBuilder = Callable[[Session, User, date], dict[str, Any]]

HOME_PAGES: dict[Role, HomeBuilder] = {
    Role.AGENT: _agent_home,
    Role.SUPERVISOR: _supervisor_home,
    Role.PLANNER: _planner_home,
    Role.QUALITY_ANALYST: _quality_home,
    Role.ADMIN: _admin_home,
}
