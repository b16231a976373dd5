"""Demo staff and agents, drawn deterministically from the catalog.

Pure: every function takes the seed (and the day hire dates count back from) and returns
frozen records; nothing here reads the clock or the database. Records are prefix-stable:
the first N of a bigger run equal a run of N, so a re-seed with bigger sizes only adds rows.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from frontline.auth.models import Role
from frontline.demo import catalog
from frontline.demo.catalog import SiteSpec, SkillKey, TeamSpec
from frontline.demo.names import Names, PersonName, stream
from frontline.people.models import AgentLevel

HIRE_SPAN_DAYS = 6 * 365
PROBATION_MONTHS = 3
_SITES = {site.code: site for site in catalog.SITES}
_SITE_SHARES = [site.agent_share for site in catalog.SITES]
_PROFICIENCY = {
    AgentLevel.CONSULTANT: (1, 3),
    AgentLevel.SPECIALIST: (2, 4),
    AgentLevel.LEADING_SPECIALIST: (3, 5),
}


@dataclass(frozen=True)
class StaffAccount:
    """A user who is not an agent; ``team`` is the team a supervisor leads."""

    email: str
    full_name: str
    role: Role
    site: SiteSpec
    team: TeamSpec | None = None


@dataclass(frozen=True)
class SkillGrant:
    skill: SkillKey
    proficiency: int


@dataclass(frozen=True)
class AgentRecord:
    employee_number: str
    full_name: str
    email: str
    site: SiteSpec
    team: TeamSpec
    level: AgentLevel
    hire_date: date
    probation_end: date
    mentor_number: str | None
    contract_hours_per_week: float
    skills: tuple[SkillGrant, ...]


def employee_number(number: int) -> str:
    return f"A{number:05d}"


def generate_staff(seed: int) -> tuple[StaffAccount, ...]:
    """The admin, one supervisor per team, a planner and a quality analyst."""
    rng = stream(seed, "staff", 0)
    names = Names()
    names.reseed(rng)

    def account(
        email: str, role: Role, site: SiteSpec, team: TeamSpec | None = None
    ) -> StaffAccount:
        name = names.person(site.locale, female=rng.random() < 0.6)
        return StaffAccount(email, name.full_name, role, site, team)

    supervisors = tuple(
        account(_supervisor_email(index), Role.SUPERVISOR, _SITES[team.site_code], team)
        for index, team in enumerate(catalog.TEAMS)
    )
    return (
        account(catalog.ADMIN_LOGIN, Role.ADMIN, catalog.HEAD_OFFICE),
        *supervisors,
        account(catalog.PLANNER_LOGIN, Role.PLANNER, catalog.HEAD_OFFICE),
        account(catalog.QUALITY_LOGIN, Role.QUALITY_ANALYST, catalog.HEAD_OFFICE),
    )


def _supervisor_email(index: int) -> str:
    if index == 0:
        return catalog.SUPERVISOR_LOGIN
    return f"supervisor.{index + 1:02d}@{catalog.DEMO_EMAIL_DOMAIN}"


def spread(weights: Sequence[int], count: int) -> list[int]:
    """``count`` indices into ``weights``, interleaved so every prefix keeps the proportions.

    nginx's smooth weighted round-robin: small demo runs still reach every site.

    >>> spread([3, 1], 8)
    [0, 0, 1, 0, 0, 0, 1, 0]
    """
    total = sum(weights)
    current = [0] * len(weights)
    picks = []
    for _ in range(count):
        current = [value + weight for value, weight in zip(current, weights, strict=True)]
        best = max(range(len(weights)), key=current.__getitem__)
        current[best] -= total
        picks.append(best)
    return picks


def generate_agents(seed: int, count: int, today: date) -> tuple[AgentRecord, ...]:
    """Agents A00001…, spread over sites and teams, hired over the six years before ``today``."""
    rng = stream(seed, "agents", 0)
    names = Names()
    names.reseed(rng)
    agents: list[AgentRecord] = []
    # Leading specialists so far, per site: only earlier agents may mentor, so a mentor
    # never depends on how many agents follow.
    leads: dict[str, list[AgentRecord]] = {site.code: [] for site in catalog.SITES}
    staffed: set[str] = set()
    for number, team in enumerate(_placements(count), start=1):
        # A site's first agent is a veteran, so every newcomer after has a mentor to get.
        founder = team.site_code not in staffed
        staffed.add(team.site_code)
        agent = _agent(
            number, team, rng, names, today=today, founder=founder, site_leads=leads[team.site_code]
        )
        if agent.level is AgentLevel.LEADING_SPECIALIST:
            leads[team.site_code].append(agent)
        agents.append(agent)
    return tuple(agents)


def _placements(count: int) -> list[TeamSpec]:
    """The team of each agent in turn: interleaved rather than drawn, so that even a small
    run staffs every site and team in proportion."""
    site_teams = {
        site.code: [team for team in catalog.TEAMS if team.site_code == site.code]
        for site in catalog.SITES
    }
    team_turns = {
        code: iter(spread([team.share for team in teams], count))
        for code, teams in site_teams.items()
    }
    site_codes = [catalog.SITES[pick].code for pick in spread(_SITE_SHARES, count)]
    return [site_teams[code][next(team_turns[code])] for code in site_codes]


def _agent(
    number: int,
    team: TeamSpec,
    rng: Random,
    names: Names,
    *,
    today: date,
    founder: bool,
    site_leads: Sequence[AgentRecord],
) -> AgentRecord:
    site = _SITES[team.site_code]
    name = names.person(site.locale, female=rng.random() < 0.7)
    # Skewed towards recent hires: operators turn over, a few stay for years.
    tenure_days = (
        rng.randint(3 * 365, HIRE_SPAN_DAYS)
        if founder
        else int(rng.triangular(0, HIRE_SPAN_DAYS, 0))
    )
    hire_date = today - timedelta(days=tenure_days)
    probation_end = add_months(hire_date, PROBATION_MONTHS)
    level = AgentLevel.LEADING_SPECIALIST if founder else _level(tenure_days, rng)
    # Probation is served under a mentor; some first-year agents keep one afterwards.
    needs_mentor = probation_end > today or (tenure_days < 365 and rng.random() < 0.25)
    return AgentRecord(
        employee_number=employee_number(number),
        full_name=name.full_name,
        email=_agent_email(number, name),
        site=site,
        team=team,
        level=level,
        hire_date=hire_date,
        probation_end=probation_end,
        mentor_number=_mentor(team, rng, site_leads) if needs_mentor else None,
        contract_hours_per_week=_contract_hours(level, rng),
        skills=_skills(team, level, rng),
    )


def _agent_email(number: int, name: PersonName) -> str:
    if number == 1:
        return catalog.AGENT_LOGIN
    local_part = f"{name.given_latin[:1]}.{name.family_latin}.{number:05d}"
    return f"{local_part}@{catalog.DEMO_EMAIL_DOMAIN}"


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's end (30 Nov + 3 = 28/29 Feb).

    >>> add_months(date(2025, 11, 30), 3)
    datetime.date(2026, 2, 28)
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _level(tenure_days: int, rng: Random) -> AgentLevel:
    # The source's ladder: a year as consultant, then specialist, leading after ~3 years.
    if tenure_days < 365:
        return AgentLevel.CONSULTANT
    if tenure_days < 3 * 365:
        return AgentLevel.SPECIALIST if rng.random() < 0.7 else AgentLevel.CONSULTANT
    return AgentLevel.LEADING_SPECIALIST if rng.random() < 0.55 else AgentLevel.SPECIALIST


def _mentor(team: TeamSpec, rng: Random, site_leads: Sequence[AgentRecord]) -> str | None:
    """One of the site's leading specialists, from the same team when there is one."""
    candidates = [agent for agent in site_leads if agent.team == team] or site_leads
    return rng.choice(candidates).employee_number if candidates else None


def _contract_hours(level: AgentLevel, rng: Random) -> float:
    # Students work part time on flexible schedules, as the source describes.
    if level is AgentLevel.CONSULTANT and rng.random() < 0.25:
        return float(rng.choice((20, 24, 30)))
    return 40.0


def _skills(team: TeamSpec, level: AgentLevel, rng: Random) -> tuple[SkillGrant, ...]:
    count = min(rng.randint(2, 6), len(team.skills))
    low, high = _PROFICIENCY[level]
    return tuple(
        SkillGrant(skill, rng.randint(low, high)) for skill in rng.sample(team.skills, count)
    )
