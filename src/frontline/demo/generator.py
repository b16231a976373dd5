"""Demo people and customers, drawn deterministically from the catalog.

Pure: every function takes the seed (and the day hire dates count back from) and returns
frozen records; nothing here reads the clock or the database. Records are prefix-stable:
the first N of a bigger run equal a run of N, so a re-seed with bigger sizes only adds rows.
"""

from __future__ import annotations

import calendar
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from random import Random

from faker import Faker
from stdnum.ru import inn

from frontline.auth.models import Role
from frontline.customers.models import CustomerKind
from frontline.demo import catalog
from frontline.demo.catalog import SiteSpec, SkillKey, TeamSpec
from frontline.people.models import AgentLevel

HIRE_SPAN_DAYS = 6 * 365
PROBATION_MONTHS = 3
# Customers are drawn in chunks, each from its own stream, so any subset can be generated
# without drawing every customer before it.
CUSTOMER_CHUNK = 1000
VIETNAMESE_CUSTOMER_SHARE = 0.006
_SITES = {site.code: site for site in catalog.SITES}
_SITE_SHARES = [site.agent_share for site in catalog.SITES]
_CITY_WEIGHTS = tuple(accumulate(city.weight for city in catalog.RUSSIAN_CITIES))
_CYRILLIC = str.maketrans(dict(catalog.CYRILLIC_TO_LATIN))
_PROFICIENCY = {
    AgentLevel.CONSULTANT: (1, 3),
    AgentLevel.SPECIALIST: (2, 4),
    AgentLevel.LEADING_SPECIALIST: (3, 5),
}


@dataclass(frozen=True)
class PersonName:
    full_name: str
    given_latin: str  # lower-case ASCII, for e-mail addresses
    family_latin: str


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


@dataclass(frozen=True)
class CustomerRecord:
    external_ref: str
    kind: CustomerKind
    name: str
    inn: str | None
    city: str
    language: str
    vulnerable: bool
    abusive: bool
    flag_note: str
    phones: tuple[str, ...]  # E.164
    emails: tuple[str, ...]  # lower-case


def latin(text: str) -> str:
    """Lower-case ASCII letters and digits of a Russian or Vietnamese name."""
    plain = text.lower().replace("đ", "d").translate(_CYRILLIC)
    decomposed = unicodedata.normalize("NFKD", plain)
    return "".join(char for char in decomposed if char.isascii() and char.isalnum())


def employee_number(number: int) -> str:
    return f"A{number:05d}"


def customer_ref(number: int) -> str:
    return f"C{number:06d}"


def _stream(seed: int, kind: str, chunk: int) -> Random:
    # String seeds are hashed with SHA-512, so streams agree across processes and runs.
    return Random(f"{seed}/{kind}/{chunk}")  # noqa: S311 - demo data, not secrets


class _Names:
    """Russian and Vietnamese names from Faker, reseeded from the caller's stream."""

    def __init__(self) -> None:
        self._russian = Faker("ru_RU")
        self._vietnamese = Faker("vi_VN")

    def reseed(self, rng: Random) -> None:
        self._russian.seed_instance(rng.getrandbits(64))
        self._vietnamese.seed_instance(rng.getrandbits(64))

    def person(self, locale: str, *, female: bool) -> PersonName:
        if locale == catalog.VIETNAMESE:
            return self._vietnamese_person(female=female)
        fake = self._russian
        if female:
            parts = (fake.last_name_female(), fake.first_name_female(), fake.middle_name_female())
        else:
            parts = (fake.last_name_male(), fake.first_name_male(), fake.middle_name_male())
        family, given, middle = (str(part) for part in parts)
        return PersonName(f"{family} {given} {middle}", latin(given), latin(family))

    def _vietnamese_person(self, *, female: bool) -> PersonName:
        fake = self._vietnamese
        family, middle = str(fake.last_name()), str(fake.middle_name())
        given = str(fake.first_name_female() if female else fake.first_name_male())
        # Faker's middle names mix the female "Thị" and the male "Văn"; keep them to the gender.
        if female and middle == "Văn":
            middle = "Thị"
        elif not female and middle == "Thị":
            middle = "Văn"
        # Vietnamese write the family name first and are addressed by the given name.
        return PersonName(f"{family} {middle} {given}", latin(given), latin(family))


def generate_staff(seed: int) -> tuple[StaffAccount, ...]:
    """The admin, one supervisor per team, a planner and a quality analyst."""
    rng = _stream(seed, "staff", 0)
    names = _Names()
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
    rng = _stream(seed, "agents", 0)
    names = _Names()
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
    names: _Names,
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


def generate_customers(seed: int, numbers: Sequence[int]) -> Iterator[CustomerRecord]:
    """Customers with the given ascending ``numbers`` (C000001 is number 1)."""
    names = _Names()
    wanted = set(numbers)
    chunks = sorted({(number - 1) // CUSTOMER_CHUNK for number in wanted})
    for chunk in chunks:
        rng = _stream(seed, "customers", chunk)
        names.reseed(rng)
        first = chunk * CUSTOMER_CHUNK + 1
        last = max(number for number in range(first, first + CUSTOMER_CHUNK) if number in wanted)
        for number in range(first, last + 1):
            customer = _customer(number, rng, names)
            if number in wanted:
                yield customer


@dataclass(frozen=True)
class _Party:
    """Who a customer is, before phones and flags are added."""

    kind: CustomerKind
    name: str
    inn: str | None
    emails: tuple[str, ...]


def _customer(number: int, rng: Random, names: _Names) -> CustomerRecord:
    if rng.random() < VIETNAMESE_CUSTOMER_SHARE:
        city, language = rng.choice(catalog.VIETNAMESE_CITIES), catalog.VIETNAMESE
        party = _vietnamese_party(number, rng, names)
        phones = _phones("+84", catalog.VIETNAMESE_MOBILE_CODES, rng)
    else:
        region = rng.choices(catalog.RUSSIAN_CITIES, cum_weights=_CITY_WEIGHTS)[0]
        city, language = region.name, catalog.RUSSIAN
        party = _russian_party(number, region.inn_region, rng, names)
        phones = _phones("+7", catalog.RUSSIAN_MOBILE_CODES, rng)
    vulnerable, abusive, note = _flags(rng)
    return CustomerRecord(
        external_ref=customer_ref(number),
        kind=party.kind,
        name=party.name,
        inn=party.inn,
        city=city,
        language=language,
        vulnerable=vulnerable,
        abusive=abusive,
        flag_note=note,
        phones=phones,
        emails=party.emails,
    )


def _russian_party(number: int, region: str, rng: Random, names: _Names) -> _Party:
    """About 70 % people, 7.5 % sole traders, the rest companies."""
    roll = rng.random()
    if roll < 0.70:
        name = names.person(catalog.RUSSIAN, female=rng.random() < 0.5)
        # Some people file their own tax returns and give their INN.
        tax_id = personal_inn(region, rng) if rng.random() < 0.15 else None
        emails = _person_emails(name, number, rng, catalog.RUSSIAN_MAIL_DOMAINS)
        return _Party(CustomerKind.PERSON, name.full_name, tax_id, emails)
    if roll < 0.775:
        # A sole trader is a business to the support line but keeps a personal 12-digit INN.
        name = names.person(catalog.RUSSIAN, female=rng.random() < 0.4)
        emails = _person_emails(name, number, rng, catalog.RUSSIAN_MAIL_DOMAINS)
        return _Party(
            CustomerKind.COMPANY, f"ИП {name.full_name}", personal_inn(region, rng), emails
        )
    stem = rng.choice(catalog.COMPANY_STEMS) + rng.choice(catalog.COMPANY_SUFFIXES)
    form = "АО" if rng.random() < 0.07 else "ООО"
    emails = _company_emails(latin(stem), number, rng, "ru")
    return _Party(CustomerKind.COMPANY, f"{form} «{stem}»", company_inn(region, rng), emails)


def _vietnamese_party(number: int, rng: Random, names: _Names) -> _Party:
    name = names.person(catalog.VIETNAMESE, female=rng.random() < 0.5)
    if rng.random() < 0.7:
        emails = _person_emails(name, number, rng, catalog.VIETNAMESE_MAIL_DOMAINS)
        return _Party(CustomerKind.PERSON, name.full_name, None, emails)
    # Small Vietnamese firms are named form, line of business, then the owner's given name.
    given = name.full_name.rsplit(" ", 1)[-1]
    business = rng.choice(catalog.VIETNAMESE_BUSINESS_LINES)
    label = f"{rng.choice(catalog.VIETNAMESE_COMPANY_FORMS)} {business} {given}"
    emails = _company_emails(latin(f"{business}{given}"), number, rng, "vn")
    return _Party(CustomerKind.COMPANY, label, None, emails)


def company_inn(region: str, rng: Random) -> str:
    """A 10-digit organisation INN: region, tax office, serial, check digit."""
    base = f"{region}{rng.randint(1, 99):02d}{rng.randrange(10**5):05d}"
    return base + inn.calc_company_check_digit(base)


def personal_inn(region: str, rng: Random) -> str:
    """A 12-digit personal INN: region, tax office, serial, two check digits."""
    base = f"{region}{rng.randint(1, 99):02d}{rng.randrange(10**6):06d}"
    return base + inn.calc_personal_check_digits(base)


def _phones(country_code: str, operator_codes: Sequence[str], rng: Random) -> tuple[str, ...]:
    count = 1 if rng.random() < 0.75 else 2
    return tuple(
        f"{country_code}{rng.choice(operator_codes)}{rng.randrange(10**7):07d}"
        for _ in range(count)
    )


def _email_count(rng: Random) -> int:
    roll = rng.random()
    return 0 if roll < 0.25 else 1 if roll < 0.8 else 2


def _person_emails(
    name: PersonName, number: int, rng: Random, domains: Sequence[str]
) -> tuple[str, ...]:
    # The customer number keeps addresses unique, so incoming mail matches one customer.
    candidates = (
        f"{name.given_latin}.{name.family_latin}{number}@{rng.choice(domains)}",
        f"{name.family_latin}.{name.given_latin[:1]}{number}@{rng.choice(domains)}",
    )
    return candidates[: _email_count(rng)]


def _company_emails(slug: str, number: int, rng: Random, tld: str) -> tuple[str, ...]:
    domain = f"{slug[:20]}-{number}.{tld}"
    return (f"info@{domain}", f"buh@{domain}")[: _email_count(rng)]


def _flags(rng: Random) -> tuple[bool, bool, str]:
    """(vulnerable, abusive, note): about 1 % vulnerable and 0.5 % abusive."""
    roll = rng.random()
    if roll < 0.01:
        return True, False, rng.choice(catalog.VULNERABLE_NOTES)
    if roll < 0.015:
        return False, True, rng.choice(catalog.ABUSIVE_NOTES)
    return False, False, ""
