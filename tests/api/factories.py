"""Factories for API tests: each makes one committed row with valid, unique values.

Rows go straight into the tables through the ORM, the way fixtures should: fast, and
without depending on the routes under test. Passwords of factory users are hashed
once per run (argon2 takes ~0.15 s a hash, and the role matrix makes hundreds of users).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from frontline.assistant.models import AssistantConversation
from frontline.auth.models import ApiToken, Role, User
from frontline.channels.models import MailAcknowledgement, MailSignature
from frontline.contacts.models import Contact, ContactStatus, WrapUpReason, WrapUpTopic
from frontline.core.clock import utcnow
from frontline.core.security import hash_password, new_api_token, token_digest
from frontline.cti.models import CtiIntegration, DialPlanEntry
from frontline.customers.models import Customer, CustomerEmail, CustomerKind, CustomerPhone
from frontline.org.models import Channel, Product, Queue, QueueOverflowStep, Site, Skill, Team
from frontline.people.models import Agent, AgentLevel, AgentSkill
from frontline.remedies.models import GrantStatus, Remedy, RemedyGrant
from frontline.schedules.models import (
    RunStatus,
    ScheduledShift,
    ScheduleRun,
    ShiftKind,
    TimeOffRequest,
)
from frontline.scripts.models import CallScript
from tests.conftest import PASSWORD

_serial = itertools.count(1)


def _next() -> int:
    return next(_serial)


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return hash_password(PASSWORD)


_BATCH = "factories.batch"


@contextmanager
def one_commit(session: Session) -> Iterator[None]:
    """Make several rows with one commit (each commit costs an fsync on PostgreSQL)."""
    session.info[_BATCH] = True
    try:
        yield
    finally:
        del session.info[_BATCH]
    session.commit()


def _saved(session: Session, row: Any) -> Any:
    session.add(row)
    if session.info.get(_BATCH):
        session.flush()
    else:
        session.commit()
    return row


def user(session: Session, role: Role = Role.AGENT, **values: Any) -> User:
    """A user whose password is ``tests.conftest.PASSWORD``."""
    n = _next()
    defaults: dict[str, Any] = {
        "email": f"{role.value}.{n}@example.com",
        "full_name": f"Factory {role.value} {n}",
        "role": role,
        "password_hash": _password_hash(),
    }
    result: User = _saved(session, User(**{**defaults, **values}))
    return result


def token(session: Session, owner: User) -> tuple[int, str]:
    """A live API token of ``owner``: its id and its clear text."""
    secret = new_api_token()
    row = ApiToken(
        user_id=owner.id,
        name=f"factory-{_next()}",
        prefix=secret[:10],
        token_hash=token_digest(secret),
    )
    _saved(session, row)
    return row.id, secret


def site(session: Session, **values: Any) -> Site:
    n = _next()
    defaults: dict[str, Any] = {
        "code": f"S{n}",
        "name": f"Site {n}",
        "city": "Kazan",
        "country": "RU",
        "time_zone": "Europe/Moscow",
    }
    result: Site = _saved(session, Site(**{**defaults, **values}))
    return result


def product(session: Session, **values: Any) -> Product:
    n = _next()
    defaults: dict[str, Any] = {"code": f"P{n}", "name": f"Product {n}"}
    result: Product = _saved(session, Product(**{**defaults, **values}))
    return result


def skill(session: Session, of: Product, **values: Any) -> Skill:
    defaults: dict[str, Any] = {"product_id": of.id, "language": "ru", "channel": Channel.VOICE}
    result: Skill = _saved(session, Skill(**{**defaults, **values}))
    return result


def queue(session: Session, of: Skill, **values: Any) -> Queue:
    n = _next()
    defaults: dict[str, Any] = {"code": f"Q{n}", "name": f"Queue {n}", "skill_id": of.id}
    result: Queue = _saved(session, Queue(**{**defaults, **values}))
    return result


def team(session: Session, at: Site, **values: Any) -> Team:
    defaults: dict[str, Any] = {"name": f"Team {_next()}", "site_id": at.id}
    result: Team = _saved(session, Team(**{**defaults, **values}))
    return result


def agent(session: Session, at: Site, **values: Any) -> Agent:
    n = _next()
    defaults: dict[str, Any] = {
        "employee_number": f"E{n}",
        "full_name": f"Agent {n}",
        "email": f"agent.{n}@example.com",
        "site_id": at.id,
        "level": AgentLevel.CONSULTANT,
        "hire_date": date(2025, 3, 1),
    }
    result: Agent = _saved(session, Agent(**{**defaults, **values}))
    return result


def grant(session: Session, to: Agent, what: Skill, proficiency: int = 3) -> AgentSkill:
    result: AgentSkill = _saved(
        session, AgentSkill(agent_id=to.id, skill_id=what.id, proficiency=proficiency)
    )
    return result


def contact(session: Session, into: Queue, **values: Any) -> Contact:
    """A waiting contact (the router is not told: enough for access checks)."""
    defaults: dict[str, Any] = {
        "channel": Channel.VOICE,
        "status": ContactStatus.WAITING,
        "queue_id": into.id,
        "arrived_at": utcnow(),
    }
    result: Contact = _saved(session, Contact(**{**defaults, **values}))
    return result


def customer(
    session: Session,
    *,
    phones: tuple[str, ...] = ("+79123456789",),
    emails: tuple[str, ...] = ("ivan.petrov@example.ru",),
    **values: Any,
) -> Customer:
    defaults: dict[str, Any] = {"kind": CustomerKind.PERSON, "name": f"Customer {_next()}"}
    row = Customer(**{**defaults, **values})
    row.phones = [CustomerPhone(e164=phone) for phone in phones]
    row.emails = [CustomerEmail(address=email) for email in emails]
    result: Customer = _saved(session, row)
    return result


def time_off(session: Session, of: Agent, **values: Any) -> TimeOffRequest:
    """A pending request for a day off well ahead."""
    defaults: dict[str, Any] = {"agent_id": of.id, "day": date(2030, 1, 7), "filed_at": utcnow()}
    result: TimeOffRequest = _saved(session, TimeOffRequest(**{**defaults, **values}))
    return result


def schedule_run(session: Session, by: User, **values: Any) -> ScheduleRun:
    defaults: dict[str, Any] = {
        "started_by_id": by.id,
        "start": date(2030, 1, 7),
        "weeks": 1,
        "calls_per_day": 500,
        "time_limit_seconds": 1.0,
    }
    result: ScheduleRun = _saved(session, ScheduleRun(**{**defaults, **values}))
    return result


def work_shift(
    session: Session,
    run: ScheduleRun,
    of: Agent,
    hours: tuple[datetime, datetime],
    breaks: tuple[tuple[datetime, datetime], ...] = (),
) -> ScheduledShift:
    """A work shift of ``run`` with breaks and no off-phone work."""
    row = ScheduledShift(
        run_id=run.id,
        agent_id=of.id,
        kind=ShiftKind.WORK,
        template="8h",
        starts_at=hours[0],
        ends_at=hours[1],
        breaks=[[start.isoformat(), end.isoformat()] for start, end in breaks],
        off_phone=[],
    )
    result: ScheduledShift = _saved(session, row)
    return result


@dataclass(frozen=True)
class World:
    """One row of every kind, wired together, plus a second site with its own team."""

    site: Site
    product: Product
    skill: Skill
    queue: Queue
    team: Team
    other_site: Site
    other_team: Team
    supervisor: User
    user: User
    agent: Agent
    mentor: Agent
    customer: Customer
    token_id: int
    contact: Contact
    topic: WrapUpTopic
    reason: WrapUpReason
    overflow_step: QueueOverflowStep
    integration: CtiIntegration
    dial_plan: DialPlanEntry
    time_off: TimeOffRequest
    schedule_run: ScheduleRun
    acknowledgement: MailAcknowledgement
    signature: MailSignature
    call_script: CallScript
    conversation: AssistantConversation
    remedy: Remedy
    remedy_grant: RemedyGrant

    @property
    def ids(self) -> dict[str, int]:
        """Path ids by resource name, for filling in ``/{row_id}`` templates."""
        return {
            "sites": self.site.id,
            "products": self.product.id,
            "skills": self.skill.id,
            "queues": self.queue.id,
            "teams": self.team.id,
            "agents": self.agent.id,
            "users": self.user.id,
            "customers": self.customer.id,
            "tokens": self.token_id,
            "contacts": self.contact.id,
            "wrap-up-topics": self.topic.id,
            "wrap-up-reasons": self.reason.id,
            "overflow-steps": self.overflow_step.id,
            "cti-integrations": self.integration.id,
            "dial-plan": self.dial_plan.id,
            "time-off": self.time_off.id,
            "schedule-runs": self.schedule_run.id,
            "mail-acknowledgements": self.acknowledgement.id,
            "mail-signatures": self.signature.id,
            "call-scripts": self.call_script.id,
            "remedies": self.remedy.id,
            "remedy-grants": self.remedy_grant.id,
        }


def world(session: Session) -> World:
    with one_commit(session):
        return _world(session)


def _world(session: Session) -> World:
    home = site(session, code="MSK", name="Moscow")
    away = site(session, code="NSK", name="Novosibirsk", time_zone="Asia/Novosibirsk")
    made_product = product(session, code="CARDS", name="Cards")
    made_skill = skill(session, made_product)
    supervisor = user(session, Role.SUPERVISOR)
    home_team = team(session, home, name="Alpha", supervisor_id=supervisor.id)
    mentor = agent(session, home, level=AgentLevel.SPECIALIST, team_id=home_team.id)
    someone = user(session, Role.AGENT)
    made_agent = agent(
        session, home, team_id=home_team.id, mentor_id=mentor.id, email="ivan@example.com"
    )
    grant(session, made_agent, made_skill)
    token_id, _ = token(session, someone)
    made_queue = queue(session, made_skill, code="CARDS-RU")
    topic = _saved(session, WrapUpTopic(product_id=made_product.id, name="Cards"))
    made_contact = contact(session, made_queue)
    voucher = _saved(
        session,
        Remedy(product_id=made_product.id, problem="Card late", name="Voucher", max_amount=900),
    )
    return World(
        site=home,
        product=made_product,
        skill=made_skill,
        queue=made_queue,
        team=home_team,
        other_site=away,
        other_team=team(session, away, name="Beta"),
        supervisor=supervisor,
        user=someone,
        agent=made_agent,
        mentor=mentor,
        customer=customer(session, name="Ivan Petrov", inn="500100732259"),
        token_id=token_id,
        contact=made_contact,
        topic=topic,
        reason=_saved(session, WrapUpReason(topic_id=topic.id, name="Lost card")),
        overflow_step=_saved(session, QueueOverflowStep(queue_id=made_queue.id, after_seconds=90)),
        integration=_saved(session, CtiIntegration(code="PBX", name="PBX", secret="s" * 32)),
        dial_plan=_saved(session, DialPlanEntry(dialled="+74951234567", queue_id=made_queue.id)),
        time_off=time_off(session, made_agent),
        # Failed, so it neither blocks a new run nor can be published.
        schedule_run=schedule_run(session, supervisor, status=RunStatus.FAILED),
        acknowledgement=_saved(
            session, MailAcknowledgement(queue_id=made_queue.id, text="Got it: {reference}")
        ),
        signature=_saved(session, MailSignature(product_id=made_product.id, text="Cards team")),
        call_script=_saved(
            session,
            CallScript(
                name="Cards",
                queue_id=made_queue.id,
                body='{"greetings": ["Hello"], "start": "a", "steps": {"a": {"say": "Bye"}}}',
            ),
        ),
        conversation=_saved(
            session,
            AssistantConversation(
                public_id="0" * 32, channel="web", language="ru", started_at=utcnow(), state={}
            ),
        ),
        remedy=voucher,
        # Asked for by the world's supervisor, above the agent's limit: waits for another.
        remedy_grant=_saved(
            session,
            RemedyGrant(
                contact_id=made_contact.id,
                remedy_id=voucher.id,
                amount=500,
                status=GrantStatus.PENDING,
                requested_by_id=supervisor.id,
                requested_at=utcnow(),
            ),
        ),
    )
