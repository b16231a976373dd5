"""Writes the demo into a migrated database: idempotent, incremental and fast.

Every row has a natural key (site code, skill product/language/channel, team site/name,
employee number, customer reference, user e-mail). A run generates the full deterministic
list, selects the keys already present and bulk-inserts only the missing rows, so a second
run inserts nothing and a bigger run adds only the difference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from frontline.auth.models import Role, User
from frontline.contacts.models import WrapUpReason, WrapUpTopic
from frontline.core.clock import utcnow
from frontline.core.db import Base, transaction
from frontline.core.security import hash_password
from frontline.cti.models import CtiIntegration, DialPlanEntry
from frontline.customers.models import Customer, CustomerEmail, CustomerPhone
from frontline.demo import catalog
from frontline.demo.catalog import SkillKey
from frontline.demo.customer_records import CustomerRecord, customer_ref, generate_customers
from frontline.demo.generator import AgentRecord, StaffAccount, generate_agents, generate_staff
from frontline.knowledge.files import import_files, markdown_files, parse_article_file
from frontline.knowledge.models import KbArticle
from frontline.org.models import Channel, Product, Queue, QueueOverflowStep, Site, Skill, Team
from frontline.people.models import Agent, AgentSkill
from frontline.remedies.models import Remedy
from frontline.scripts.actions import add_demo_scripts
from frontline.scripts.models import CallScript

Progress = Callable[[str, int, int], None]
Row = dict[str, Any]
T = TypeVar("T")

MAX_AGENTS = 99_999  # employee numbers have five digits
MAX_CUSTOMERS = 999_999  # customer references have six
# Rows per executemany and per customer transaction: large enough to amortise round trips,
# small enough for SQLite's bound-parameter limit and a smooth progress bar.
BATCH_ROWS = 2000
# Ready-made articles in Russian, Vietnamese and English for the demo products.
DEMO_ARTICLES_DIR = Path(__file__).resolve().parent / "kb"
SEEDED_TABLES = (
    Site,
    Product,
    Skill,
    Queue,
    User,
    Team,
    Agent,
    AgentSkill,
    Customer,
    CustomerPhone,
    CustomerEmail,
    WrapUpTopic,
    WrapUpReason,
    QueueOverflowStep,
    CtiIntegration,
    DialPlanEntry,
    KbArticle,
    CallScript,
    Remedy,
)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: Role
    password: str


@dataclass(frozen=True)
class SeedReport:
    created: Mapping[str, int]  # table name -> rows inserted by this run
    logins: tuple[DemoLogin, ...]


class DemoSizeError(ValueError):
    """A demo size out of range; ``argument`` names the parameter at fault."""

    def __init__(self, argument: str, value: int, low: int, high: int) -> None:
        super().__init__(f"{argument} must be between {low} and {high}, got {value}")
        self.argument = argument


DEMO_LOGINS = tuple(
    DemoLogin(email, role, catalog.DEMO_PASSWORD)
    for email, role in (
        (catalog.ADMIN_LOGIN, Role.ADMIN),
        (catalog.SUPERVISOR_LOGIN, Role.SUPERVISOR),
        (catalog.PLANNER_LOGIN, Role.PLANNER),
        (catalog.QUALITY_LOGIN, Role.QUALITY_ANALYST),
        (catalog.AGENT_LOGIN, Role.AGENT),
    )
)


def seed_demo(
    session_factory: sessionmaker[Session],
    *,
    agents: int = 250,
    customers: int = 50_000,
    seed: int = 2026,
    progress: Progress | None = None,
    today: date | None = None,
) -> SeedReport:
    """Seed the demo center, adding only what is missing; the database must be migrated.

    ``progress(step, done, total)`` is called at the start and after each batch of a step.
    ``today`` is the day hire dates count back from (default: today in UTC); pass it to get
    identical data on different days.
    """
    _check_size("agents", agents, 1, MAX_AGENTS)
    _check_size("customers", customers, 0, MAX_CUSTOMERS)
    report = progress or _silent
    created = {model.__tablename__: 0 for model in SEEDED_TABLES}
    # Argon2 costs ~50 ms a hash: every demo account shares one.
    password_hash = hash_password(catalog.DEMO_PASSWORD)
    with transaction(session_factory) as session:
        _seed_reference(session, created, report)
        _seed_staff(session, generate_staff(seed), password_hash, created, report)
        records = generate_agents(seed, agents, today or utcnow().date())
        _seed_agents(session, records, password_hash, created, report)
        _seed_routing(session, created, report)
        _seed_knowledge(session, created, report)
        created[CallScript.__tablename__] += add_demo_scripts(session)
        _seed_remedies(session, created)
    _seed_customers(session_factory, seed, customers, created, report)
    return SeedReport(created=MappingProxyType(created), logins=DEMO_LOGINS)


def _check_size(argument: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise DemoSizeError(argument, value, low, high)


def _silent(_step: str, _done: int, _total: int) -> None:
    """The progress callback when the caller gives none."""


def _insert_missing(
    session: Session, model: type[Base], keys: tuple[str, ...], rows: Sequence[Row]
) -> int:
    """Insert the ``rows`` whose natural ``keys`` are not in the table yet; count them."""
    table = model.__table__
    existing = set(session.execute(select(*(table.c[key] for key in keys))).all())
    missing = [row for row in rows if tuple(row[key] for key in keys) not in existing]
    _bulk_insert(session, model, missing)
    return len(missing)


def _bulk_insert(session: Session, model: type[Base], rows: Sequence[Row]) -> None:
    # Core, not the ORM's bulk path: that regroups rows by which values are None and, with
    # optional columns mixed, ends up sending nearly a statement per row.
    table = Base.metadata.tables[model.__tablename__]
    for batch in _batches(rows, BATCH_ROWS):
        session.execute(insert(table), batch)


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _seed_reference(session: Session, created: dict[str, int], report: Progress) -> None:
    # In this order: skills need the products' ids, queues the skills'.
    tables: tuple[tuple[type[Base], tuple[str, ...], Callable[[Session], list[Row]]], ...] = (
        (Site, ("code",), _site_rows),
        (Product, ("code",), _product_rows),
        (Skill, ("product_id", "language", "channel"), _skill_rows),
        (Queue, ("code",), _queue_rows),
    )
    step, total = "reference data", len(tables)
    report(step, 0, total)
    for done, (model, keys, rows) in enumerate(tables, start=1):
        created[model.__tablename__] += _insert_missing(session, model, keys, rows(session))
        report(step, done, total)


def _site_rows(_session: Session) -> list[Row]:
    return [
        {
            "code": site.code,
            "name": site.name,
            "city": site.city,
            "country": site.country,
            "time_zone": site.time_zone,
        }
        for site in catalog.SITES
    ]


def _product_rows(_session: Session) -> list[Row]:
    return [
        {"code": product.code, "name": product.name, "description": product.description}
        for product in catalog.PRODUCTS
    ]


def _skill_rows(session: Session) -> list[Row]:
    product_ids = dict(session.execute(select(Product.code, Product.id)).all())
    return [
        {
            "product_id": product_ids[skill.product_code],
            "language": skill.language,
            "channel": skill.channel,
        }
        for skill in catalog.SKILLS
    ]


def _queue_rows(session: Session) -> list[Row]:
    skill_ids = _skill_ids(session)
    return [
        {
            "code": queue.code,
            "name": queue.name,
            "skill_id": skill_ids[queue.skill],
            "service_level_target": queue.goal.service_level_target,
            "target_answer_seconds": queue.goal.target_answer_seconds,
            "wrap_up_limit_seconds": queue.goal.wrap_up_limit_seconds,
        }
        for queue in catalog.QUEUES
    ]


def _skill_ids(session: Session) -> dict[SkillKey, int]:
    query = select(Product.code, Skill.language, Skill.channel, Skill.id).join(Skill.product)
    return {
        SkillKey(code, language, Channel(channel)): skill_id
        for code, language, channel, skill_id in session.execute(query)
    }


def _seed_staff(
    session: Session,
    staff: Sequence[StaffAccount],
    password_hash: str,
    created: dict[str, int],
    report: Progress,
) -> None:
    step = "staff and teams"
    report(step, 0, 2)
    user_rows = [
        _user_row(account.email, account.full_name, account.role, account.site, password_hash)
        for account in staff
    ]
    created["users"] += _insert_missing(session, User, ("email",), user_rows)
    report(step, 1, 2)
    user_ids = _user_ids(session)
    site_ids = dict(session.execute(select(Site.code, Site.id)).all())
    team_rows = [
        {
            "name": account.team.name,
            "site_id": site_ids[account.team.site_code],
            "supervisor_id": user_ids[account.email],
        }
        for account in staff
        if account.team is not None
    ]
    created["teams"] += _insert_missing(session, Team, ("site_id", "name"), team_rows)
    report(step, 2, 2)


def _user_row(
    email: str, full_name: str, role: Role, site: catalog.SiteSpec, password_hash: str
) -> Row:
    return {
        "email": email,
        "full_name": full_name,
        "role": role,
        "password_hash": password_hash,
        "locale": site.locale,
        "time_zone": site.time_zone,
    }


def _user_ids(session: Session) -> dict[str, int]:
    return dict(session.execute(select(User.email, User.id)).all())


def _seed_agents(
    session: Session,
    records: Sequence[AgentRecord],
    password_hash: str,
    created: dict[str, int],
    report: Progress,
) -> None:
    existing = set(session.scalars(select(Agent.employee_number)))
    missing = [record for record in records if record.employee_number not in existing]
    step, total = "agents", len(missing)
    report(step, 0, total)
    user_rows = [
        _user_row(record.email, record.full_name, Role.AGENT, record.site, password_hash)
        for record in missing
    ]
    created["users"] += _insert_missing(session, User, ("email",), user_rows)
    agent_rows = _agent_rows(session, missing)
    created["agents"] += _insert_missing(session, Agent, ("employee_number",), agent_rows)
    _link_agents(session, missing, created)
    report(step, total, total)


def _agent_rows(session: Session, missing: Sequence[AgentRecord]) -> list[Row]:
    user_ids = _user_ids(session)
    site_ids = dict(session.execute(select(Site.code, Site.id)).all())
    team_query = select(Site.code, Team.name, Team.id).join(Team.site)
    team_ids = {(code, name): team_id for code, name, team_id in session.execute(team_query)}
    return [
        {
            "employee_number": record.employee_number,
            "full_name": record.full_name,
            "email": record.email,
            "user_id": user_ids[record.email],
            "site_id": site_ids[record.site.code],
            "team_id": team_ids[record.team.site_code, record.team.name],
            "level": record.level,
            "hire_date": record.hire_date,
            "probation_end": record.probation_end,
            "contract_hours_per_week": record.contract_hours_per_week,
            "extension": extension_of(record.employee_number),
        }
        for record in missing
    ]


def extension_of(employee_number: str) -> str:
    """The agent's phone extension: 2 and the digits of the employee number."""
    return "2" + "".join(char for char in employee_number if char.isdigit())


def _link_agents(session: Session, missing: Sequence[AgentRecord], created: dict[str, int]) -> None:
    """Mentors and skills of the new agents, which need the ids just assigned."""
    agent_ids = dict(session.execute(select(Agent.employee_number, Agent.id)).all())
    skill_ids = _skill_ids(session)
    mentor_rows = [
        {"id": agent_ids[record.employee_number], "mentor_id": agent_ids[record.mentor_number]}
        for record in missing
        if record.mentor_number is not None
    ]
    if mentor_rows:
        session.execute(update(Agent), mentor_rows)
    skill_rows = [
        {
            "agent_id": agent_ids[record.employee_number],
            "skill_id": skill_ids[grant.skill],
            "proficiency": grant.proficiency,
        }
        for record in missing
        for grant in record.skills
    ]
    created["agent_skills"] += _insert_missing(
        session, AgentSkill, ("agent_id", "skill_id"), skill_rows
    )


def _seed_routing(session: Session, created: dict[str, int], report: Progress) -> None:
    """Wrap-up reasons, overflow steps and the demo telephone exchange with its dial plan."""
    step = "routing"
    report(step, 0, 3)
    product_ids = dict(session.execute(select(Product.code, Product.id)).all())
    topic_rows = [
        {"product_id": product_id, "name": topic}
        for product_id in product_ids.values()
        for topic, _ in catalog.WRAP_UP_CATALOGUE
    ]
    created["wrap_up_topics"] += _insert_missing(
        session, WrapUpTopic, ("product_id", "name"), topic_rows
    )
    reasons = dict(catalog.WRAP_UP_CATALOGUE)
    reason_rows = [
        {"topic_id": topic_id, "name": reason}
        for topic_id, topic in session.execute(select(WrapUpTopic.id, WrapUpTopic.name))
        for reason in reasons.get(topic, ())
    ]
    created["wrap_up_reasons"] += _insert_missing(
        session, WrapUpReason, ("topic_id", "name"), reason_rows
    )
    report(step, 1, 3)
    queue_ids = dict(session.execute(select(Queue.code, Queue.id)).all())
    overflow_rows = [
        {"queue_id": queue_id, "after_seconds": catalog.VOICE_OVERFLOW_SECONDS, "skill_id": None}
        for code, queue_id in queue_ids.items()
        if code.startswith("VOICE-")
    ]
    created["queue_overflow_steps"] += _insert_missing(
        session, QueueOverflowStep, ("queue_id", "after_seconds"), overflow_rows
    )
    report(step, 2, 3)
    pbx = {"code": catalog.DEMO_PBX_CODE, "name": "Demo PBX", "secret": catalog.DEMO_PBX_SECRET}
    created["cti_integrations"] += _insert_missing(session, CtiIntegration, ("code",), [pbx])
    plan_rows = [
        {"dialled": dialled, "ivr_choice": choice, "queue_id": queue_ids[queue]}
        for dialled, choice, queue in catalog.DEMO_DIAL_PLAN
    ]
    created["dial_plan"] += _insert_missing(
        session, DialPlanEntry, ("dialled", "ivr_choice"), plan_rows
    )
    report(step, 3, 3)


def _seed_knowledge(session: Session, created: dict[str, int], report: Progress) -> None:
    """The demo articles (``demo/kb``) whose slugs the base does not hold yet."""
    paths = markdown_files(DEMO_ARTICLES_DIR)
    report("knowledge", 0, len(paths))
    existing = set(session.scalars(select(KbArticle.slug)))
    missing = [path for path in paths if path.stem not in existing]
    parsed = [
        parse_article_file(session, path, path.read_text(encoding="utf-8")) for path in missing
    ]
    created[KbArticle.__tablename__] += import_files(session, parsed).created
    report("knowledge", len(paths), len(paths))


def _seed_remedies(session: Session, created: dict[str, int]) -> None:
    """The catalogue of standard solutions (``catalog.DEMO_REMEDIES``)."""
    product_ids = dict(session.execute(select(Product.code, Product.id)).all())
    rows = [
        {
            "product_id": product_ids[product],
            "problem": problem,
            "name": name,
            "description": description,
            "max_amount": max_amount,
            "agent_limit": agent_limit,
        }
        for product, problem, name, description, max_amount, agent_limit in catalog.DEMO_REMEDIES
    ]
    created[Remedy.__tablename__] += _insert_missing(
        session, Remedy, ("product_id", "problem", "name"), rows
    )


def _seed_customers(
    session_factory: sessionmaker[Session],
    seed: int,
    count: int,
    created: dict[str, int],
    report: Progress,
) -> None:
    with session_factory() as session:
        existing = set(session.scalars(select(Customer.external_ref)))
    missing = [number for number in range(1, count + 1) if customer_ref(number) not in existing]
    step, total, done = "customers", len(missing), 0
    report(step, done, total)
    # A transaction per batch: an interrupted run leaves whole customers, and resumes.
    for batch in _batches(generate_customers(seed, missing), BATCH_ROWS):
        with transaction(session_factory) as session:
            _insert_customers(session, batch, created)
        done += len(batch)
        report(step, done, total)


def _insert_customers(
    session: Session, batch: Sequence[CustomerRecord], created: dict[str, int]
) -> None:
    rows = [
        {
            "external_ref": record.external_ref,
            "kind": record.kind,
            "name": record.name,
            "inn": record.inn,
            "city": record.city,
            "language": record.language,
            "vulnerable": record.vulnerable,
            "abusive": record.abusive,
            "flag_note": record.flag_note,
        }
        for record in batch
    ]
    _bulk_insert(session, Customer, rows)
    # Read the new ids back by reference: SQLite cannot return them in order from one
    # executemany without falling back to a statement per row.
    refs = [record.external_ref for record in batch]
    query = select(Customer.external_ref, Customer.id).where(Customer.external_ref.in_(refs))
    ids = dict(session.execute(query).all())
    phones = [
        {"customer_id": ids[record.external_ref], "e164": phone}
        for record in batch
        for phone in record.phones
    ]
    emails = [
        {"customer_id": ids[record.external_ref], "address": address}
        for record in batch
        for address in record.emails
    ]
    _bulk_insert(session, CustomerPhone, phones)
    _bulk_insert(session, CustomerEmail, emails)
    created["customers"] += len(rows)
    created["customer_phones"] += len(phones)
    created["customer_emails"] += len(emails)
