"""Day-off requests and their decisions on the real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from frontline.auth.models import Role, User
from frontline.core.errors import Conflict, InvalidInput, PermissionDenied
from frontline.schedules import actions, service
from frontline.schedules.models import RequestStatus
from frontline.schedules.schemas import TimeOffCreate, TimeOffDecision
from tests.api import factories

# Monday 7 December 2026 starts the week asked about; its deadline is Monday 30 November.
WEEK = date(2026, 12, 7)
ON_DEADLINE = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
DAY_AFTER_DEADLINE = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _agent_user(db: Session) -> User:
    account = factories.user(db, Role.AGENT)
    factories.agent(db, factories.site(db), user_id=account.id)
    return account


def test_a_request_filed_by_the_deadline_is_timely_and_pending(db: Session) -> None:
    account = _agent_user(db)
    request = actions.file_time_off(
        db, account, TimeOffCreate(day=date(2026, 12, 9), reason="Exam"), ON_DEADLINE
    )
    assert (request.status, request.late, request.reason) == (
        RequestStatus.REQUESTED,
        False,
        "Exam",
    )


def test_a_request_filed_after_the_deadline_is_accepted_but_late(db: Session) -> None:
    account = _agent_user(db)
    request = actions.file_time_off(db, account, TimeOffCreate(day=WEEK), DAY_AFTER_DEADLINE)
    assert request.late is True
    assert service.is_late(date(2026, 12, 13), date(2026, 11, 30)) is False  # Sunday, same week


def test_a_past_day_is_refused_naming_the_day(db: Session) -> None:
    account = _agent_user(db)
    with pytest.raises(InvalidInput) as refused:
        actions.file_time_off(db, account, TimeOffCreate(day=date(2026, 11, 29)), ON_DEADLINE)
    assert refused.value.field == "day"


def test_a_second_request_for_the_same_day_is_refused_until_declined(db: Session) -> None:
    account = _agent_user(db)
    supervisor = factories.user(db, Role.SUPERVISOR)
    first = actions.file_time_off(db, account, TimeOffCreate(day=WEEK), ON_DEADLINE)
    with pytest.raises(InvalidInput) as refused:
        actions.file_time_off(db, account, TimeOffCreate(day=WEEK), ON_DEADLINE)
    assert refused.value.field == "day"
    actions.decide_time_off(
        db, supervisor, first.id, TimeOffDecision(reason="Audit week"), ON_DEADLINE, approve=False
    )
    again = actions.file_time_off(db, account, TimeOffCreate(day=WEEK), ON_DEADLINE)
    assert again.status is RequestStatus.REQUESTED


def test_an_account_without_an_agent_record_cannot_file(db: Session) -> None:
    account = factories.user(db, Role.AGENT)
    with pytest.raises(Conflict):
        actions.file_time_off(db, account, TimeOffCreate(day=WEEK), ON_DEADLINE)


def test_a_supervisor_approves_once_and_a_decline_needs_a_reason(db: Session) -> None:
    account = _agent_user(db)
    supervisor = factories.user(db, Role.SUPERVISOR)
    one = actions.file_time_off(db, account, TimeOffCreate(day=WEEK), ON_DEADLINE)
    two = actions.file_time_off(db, account, TimeOffCreate(day=date(2026, 12, 8)), ON_DEADLINE)
    approved = actions.decide_time_off(
        db, supervisor, one.id, TimeOffDecision(), DAY_AFTER_DEADLINE, approve=True
    )
    assert (approved.status, approved.decided_by_id) == (RequestStatus.APPROVED, supervisor.id)
    with pytest.raises(Conflict):
        actions.decide_time_off(
            db, supervisor, one.id, TimeOffDecision(), DAY_AFTER_DEADLINE, approve=False
        )
    with pytest.raises(InvalidInput) as refused:
        actions.decide_time_off(
            db, supervisor, two.id, TimeOffDecision(), DAY_AFTER_DEADLINE, approve=False
        )
    assert refused.value.field == "reason"
    assert [row.id for row in service.requests_by_status(db, RequestStatus.REQUESTED)] == [two.id]


def test_agents_and_planners_cannot_decide(db: Session) -> None:
    account = _agent_user(db)
    request = actions.file_time_off(db, account, TimeOffCreate(day=WEEK), ON_DEADLINE)
    for role in (Role.AGENT, Role.PLANNER):
        with pytest.raises(PermissionDenied):
            actions.decide_time_off(
                db,
                factories.user(db, role),
                request.id,
                TimeOffDecision(),
                ON_DEADLINE,
                approve=True,
            )
