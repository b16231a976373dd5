"""The demo seed against real, migrated databases: SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased, sessionmaker
from stdnum.ru import inn
from tests.conftest import BACKENDS, throwaway_database

from frontline.auth.models import Role, User
from frontline.core.db import Base, create_db_engine, create_session_factory
from frontline.core.security import verify_password
from frontline.customers.models import Customer, CustomerEmail, CustomerKind, CustomerPhone
from frontline.demo.customer_records import generate_customers
from frontline.demo.generator import generate_agents
from frontline.demo.seed import SEEDED_TABLES, DemoSizeError, SeedReport, seed_demo
from frontline.people.models import Agent, AgentLevel

TODAY = date(2026, 11, 23)
AGENTS = 60
CUSTOMERS = 300
STAFF = 20  # admin, 17 team supervisors, planner, quality analyst
UNSTABLE_COLUMNS = {"created_at", "updated_at", "password_hash", "published_at"}


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@contextmanager
def _database(backend: str, directory: Path) -> Iterator[sessionmaker[Session]]:
    with throwaway_database(backend, directory) as url:
        engine = create_db_engine(url)
        yield create_session_factory(engine)
        engine.dispose()


def _seed(
    factory: sessionmaker[Session],
    agents: int = AGENTS,
    customers: int = CUSTOMERS,
    seed: int = 2026,
) -> SeedReport:
    return seed_demo(factory, agents=agents, customers=customers, seed=seed, today=TODAY)


def _dump(factory: sessionmaker[Session]) -> dict[str, list[tuple[Any, ...]]]:
    """Every seeded row, without the timestamps and the freshly salted password hashes."""
    dump = {}
    with factory() as session:
        for model in SEEDED_TABLES:
            table = Base.metadata.tables[model.__tablename__]
            columns = [column for column in table.c if column.key not in UNSTABLE_COLUMNS]
            query = select(*columns).order_by(*table.primary_key.columns)
            dump[table.name] = [tuple(row) for row in session.execute(query)]
    return dump


@pytest.fixture
def factory(backend: str, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    with _database(backend, tmp_path) as session_factory:
        yield session_factory


@pytest.fixture(scope="module")
def seeded(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[sessionmaker[Session]]:
    """One seeded database per backend, shared by the tests that only read it."""
    with _database(backend, tmp_path_factory.mktemp("seeded")) as session_factory:
        _seed(session_factory)
        yield session_factory


def test_first_run_inserts_the_requested_sizes(factory: sessionmaker[Session]) -> None:
    calls: list[tuple[str, int, int]] = []

    report = seed_demo(
        factory,
        agents=20,
        customers=CUSTOMERS,
        today=TODAY,
        progress=lambda step, done, total: calls.append((step, done, total)),
    )

    created = dict(report.created)
    assert (created["sites"], created["products"], created["teams"]) == (5, 16, 17)
    assert (created["agents"], created["users"], created["customers"]) == (20, 20 + STAFF, 300)
    assert created["customer_phones"] >= 300
    with factory() as session:
        counts = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in SEEDED_TABLES
        }
    assert counts == created
    assert calls[-1] == ("customers", 300, 300)


def test_second_run_inserts_nothing(factory: sessionmaker[Session]) -> None:
    _seed(factory)
    before = _dump(factory)

    report = _seed(factory)

    assert set(report.created.values()) == {0}
    assert _dump(factory) == before


def test_bigger_run_adds_only_the_difference(backend: str, tmp_path: Path) -> None:
    with (
        _database(backend, tmp_path / "grown") as grown,
        _database(backend, tmp_path / "direct") as direct,
    ):
        _seed(grown, agents=20, customers=200)

        report = _seed(grown, agents=30, customers=500)
        _seed(direct, agents=30, customers=500)

        assert (report.created["agents"], report.created["users"]) == (10, 10)
        assert (report.created["customers"], report.created["sites"]) == (300, 0)
        # Grown step by step or seeded at once, the data is the same.
        assert _dump(grown) == _dump(direct)


def test_same_seed_gives_identical_data_and_another_seed_does_not(
    backend: str, tmp_path: Path
) -> None:
    with (
        _database(backend, tmp_path / "first") as first,
        _database(backend, tmp_path / "second") as second,
        _database(backend, tmp_path / "other") as other,
    ):
        _seed(first, agents=20, customers=200)
        _seed(second, agents=20, customers=200)
        _seed(other, agents=20, customers=200, seed=7)

        assert _dump(first) == _dump(second)
        assert _dump(first)["customers"] != _dump(other)["customers"]


def test_inns_are_valid(seeded: sessionmaker[Session]) -> None:
    query = select(Customer.name, func.coalesce(Customer.inn, "")).where(Customer.inn.is_not(None))
    with seeded() as session:
        inns = list(session.execute(query))

    assert inns
    assert [number for _, number in inns if not inn.is_valid(number)] == []
    companies = [number for name, number in inns if name.startswith(("ООО", "АО"))]
    assert companies
    assert {len(number) for number in companies} == {10}


def test_phones_are_valid_e164(seeded: sessionmaker[Session]) -> None:
    with seeded() as session:
        phones = list(session.scalars(select(CustomerPhone.e164)))
    parsed = [phonenumbers.parse(phone) for phone in phones]

    assert [
        phone
        for phone, number in zip(phones, parsed, strict=True)
        if not phonenumbers.is_valid_number(number)
    ] == []
    assert [
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) for number in parsed
    ] == phones


def test_emails_are_lower_case_and_unique(seeded: sessionmaker[Session]) -> None:
    with seeded() as session:
        addresses = list(session.scalars(select(CustomerEmail.address)))

    assert addresses
    assert [address for address in addresses if address != address.lower()] == []
    assert len(set(addresses)) == len(addresses)


def test_mentors_are_leading_specialists_of_the_same_site(seeded: sessionmaker[Session]) -> None:
    mentor = aliased(Agent)
    query = select(
        Agent.site_id, mentor.site_id, mentor.level, Agent.hire_date, mentor.hire_date
    ).join(mentor, Agent.mentor_id == mentor.id)
    with seeded() as session:
        pairs = list(session.execute(query))

    assert pairs
    assert {agent_site == mentor_site for agent_site, mentor_site, *_ in pairs} == {True}
    assert {level for _, _, level, _, _ in pairs} == {AgentLevel.LEADING_SPECIALIST}
    assert {hired > mentor_hired for *_, hired, mentor_hired in pairs} == {True}


def test_logins_cover_every_role_and_the_password_verifies(
    seeded: sessionmaker[Session],
) -> None:
    report = _seed(seeded)
    with seeded() as session:
        users = {
            login.email: session.scalars(select(User).where(User.email == login.email)).one()
            for login in report.logins
        }

    assert {login.role for login in report.logins} == set(Role)
    assert [
        (users[login.email].role, verify_password(login.password, users[login.email].password_hash))
        for login in report.logins
    ] == [(login.role, True) for login in report.logins]


def test_first_agent_has_the_easy_login(seeded: sessionmaker[Session]) -> None:
    with seeded() as session:
        first = session.scalars(select(Agent).where(Agent.employee_number == "A00001")).one()
        user = session.get(User, first.user_id)

    assert first.email == "agent@demo.frontline.local"
    assert user is not None
    assert (user.email, user.role) == (first.email, Role.AGENT)


def test_customers_mix_people_companies_and_flags() -> None:
    customers = list(generate_customers(2026, range(1, 5001)))

    companies = sum(customer.kind is CustomerKind.COMPANY for customer in customers)
    vietnamese = [customer for customer in customers if customer.language == "vi"]
    assert 0.25 < companies / len(customers) < 0.35
    assert vietnamese
    assert {phone[:3] for customer in vietnamese for phone in customer.phones} == {"+84"}
    assert 0 < sum(customer.vulnerable for customer in customers) < 100
    assert 0 < sum(customer.abusive for customer in customers) < 60
    assert {
        bool(customer.flag_note)
        for customer in customers
        if customer.vulnerable or customer.abusive
    } == {True}


def test_agents_follow_the_career_rules() -> None:
    agents = generate_agents(2026, 250, TODAY)

    assert {agent.site.code for agent in agents} == {"EKB", "NSK", "MSK", "HCM", "KZN"}
    assert {agent.level for agent in agents} == set(AgentLevel)
    on_probation = [agent for agent in agents if agent.probation_end > TODAY]
    assert on_probation
    assert {agent.mentor_number is not None for agent in on_probation} == {True}
    assert {2 <= len(agent.skills) <= 6 for agent in agents} == {True}
    assert {agent.skills[0].skill.language for agent in agents if agent.site.code == "HCM"} <= {
        "vi",
        "en",
    }
    assert (TODAY - min(agent.hire_date for agent in agents)).days < 6 * 366


@pytest.mark.parametrize(
    ("agents", "customers", "argument"), [(0, 10, "agents"), (5, -1, "customers")]
)
def test_sizes_out_of_range_are_refused(
    factory: sessionmaker[Session], agents: int, customers: int, argument: str
) -> None:
    with pytest.raises(DemoSizeError, match=argument) as error:
        seed_demo(factory, agents=agents, customers=customers)

    assert error.value.argument == argument
