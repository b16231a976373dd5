"""A scheduling run from the database rows to published shifts (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from frontline.auth.models import Role
from frontline.people.models import Agent
from frontline.schedules import actions, service
from frontline.schedules.models import RequestStatus, RunStatus, ScheduleRun, ShiftKind
from frontline.schedules.problem import build_problem, requirement
from frontline.schedules.runner import Job, ScheduleRunner
from frontline.schedules.schemas import ScheduleRunCreate
from tests.api import factories

START = date(2026, 12, 7)  # a Monday
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _center(db: Session) -> list[Agent]:
    """Five agents in Moscow; the last is on probation, mentored by the first."""
    with factories.one_commit(db):
        moscow = factories.site(db, code="MSK", time_zone="Europe/Moscow")
        agents = [factories.agent(db, moscow) for _ in range(4)]
        agents.append(
            factories.agent(db, moscow, probation_end=date(2027, 1, 31), mentor_id=agents[0].id)
        )
        factories.agent(db, moscow, hire_date=date(2027, 1, 1))  # not hired yet
        factories.agent(db, moscow, active=False)
    return agents


def _run(db: Session, **values: object) -> ScheduleRun:
    planner = factories.user(db, Role.PLANNER)
    payload = ScheduleRunCreate.model_validate(
        {"start": START, "weeks": 1, "calls_per_day": 150, "time_limit_seconds": 3, **values}
    )
    return actions.start_run(db, planner, payload, NOW, default_time_limit_seconds=20)


def test_the_problem_is_built_from_active_agents_and_approved_requests(db: Session) -> None:
    agents = _center(db)
    approved = factories.time_off(
        db, agents[1], day=START + timedelta(days=2), status=RequestStatus.APPROVED, filed_at=NOW
    )
    factories.time_off(db, agents[2], day=START + timedelta(days=3))  # still pending
    given = build_problem(db, _run(db))
    problem = given.problem
    assert [agent.id for agent in problem.agents] == [str(agent.id) for agent in agents]
    probationer = problem.agents[-1]
    assert (probationer.on_probation, probationer.mentor_id) == (True, str(agents[0].id))
    assert not problem.agents[0].on_probation
    assert [(r.id, r.agent_id, r.day, r.filed_on) for r in problem.requests] == [
        (str(approved.id), str(agents[1].id), START + timedelta(days=2), NOW.date())
    ]
    assert problem.is_timely(problem.requests[0])
    assert problem.sites == ("MSK",)
    assert len(problem.requirement["MSK"]) == problem.intervals == 7 * 48


def test_the_requirement_grows_with_the_calls() -> None:
    small, large = requirement(150, 1), requirement(1500, 1)
    assert len(small) == 7 * 48
    assert sum(large) > sum(small) > 0
    assert all(big >= little for big, little in zip(large, small, strict=True))


def test_a_run_stores_a_verified_roster_honours_the_day_off_and_publishes(
    db: Session, session_factory: sessionmaker[Session]
) -> None:
    agents = _center(db)
    day_off = START + timedelta(days=2)
    request = factories.time_off(
        db, agents[1], day=day_off, status=RequestStatus.APPROVED, filed_at=NOW
    )
    run = _run(db)
    ScheduleRunner(session_factory).execute(Job(run.id, run.created_at))
    db.expire_all()
    assert run.status is RunStatus.DONE, run.failure
    assert run.violations == []
    assert run.request_decisions == [
        {"request_id": request.id, "honoured": True, "reason": "honoured"}
    ]
    assert run.objective is not None and run.bound is not None and run.under_staffing is not None
    shifts = service.run_shifts(db, run)
    work = [row for row in shifts if row.kind is ShiftKind.WORK]
    assert {row.agent_id for row in work} == {agent.id for agent in agents}
    # Moscow is UTC+3 all year: the day off is its local midnight to midnight.
    (off,) = [row for row in shifts if row.kind is ShiftKind.DAY_OFF]
    assert (off.agent_id, off.starts_at, off.ends_at) == (
        agents[1].id,
        datetime(2026, 12, 8, 21, 0, tzinfo=UTC),
        datetime(2026, 12, 9, 21, 0, tzinfo=UTC),
    )
    assert service.published_shifts(db, agents[1]) == []
    actions.publish_run(db, factories.user(db, Role.PLANNER), run.id, NOW)
    mine = service.published_shifts(db, agents[1])
    assert off.id in [row.id for row in mine]
    assert all(row.agent_id == agents[1].id for row in mine)


def test_a_run_without_agents_fails_with_the_reason(
    db: Session, session_factory: sessionmaker[Session]
) -> None:
    run = _run(db)
    ScheduleRunner(session_factory).execute(Job(run.id, run.created_at))
    db.expire_all()
    assert run.status is RunStatus.FAILED
    assert "agents" in run.failure
    assert run.publishable is False


def test_a_job_for_an_older_run_with_the_same_id_leaves_the_newer_one_alone(
    db: Session, session_factory: sessionmaker[Session]
) -> None:
    _center(db)
    run = _run(db)
    ScheduleRunner(session_factory).execute(Job(run.id, run.created_at - timedelta(minutes=5)))
    db.expire_all()
    assert (run.status, run.phase) == (RunStatus.QUEUED, "")
