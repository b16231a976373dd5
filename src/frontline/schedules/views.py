"""Time-off and scheduling API: requests, decisions, runs, publication, one's own shifts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request

from frontline.auth.access import (
    can_read_time_off,
    can_read_wallboard,
    can_request_time_off,
    can_schedule,
    require,
)
from frontline.auth.models import User
from frontline.core.clock import utcnow
from frontline.core.fields import Id
from frontline.schedules import actions, service
from frontline.schedules.adherence import DayAdherence, day_adherence
from frontline.schedules.models import RequestStatus, ScheduleRun, TimeOffRequest
from frontline.schedules.runner import runner_for
from frontline.schedules.schemas import (
    AdherenceExceptionRead,
    AdherenceFiguresRead,
    AdherenceRead,
    AgentAdherenceRead,
    ScheduleRunCreate,
    ScheduleRunRead,
    ShiftRead,
    TeamAdherenceRead,
    TimeOffCreate,
    TimeOffDecision,
    TimeOffRead,
)
from frontline.web.dependencies import AppSettings, CurrentUser, DbSession
from frontline.web.i18n import time_zone
from frontline.wfm.adherence import AdherenceFigures

router = APIRouter(tags=["schedules"])


def visible_requests(
    session: DbSession, user: User, status: RequestStatus | None
) -> list[TimeOffRequest]:
    """An agent's own requests; everyone's for the roles that decide or plan."""
    require(can_read_time_off, user)
    if can_request_time_off(user):
        agent = service.agent_of(session, user)
        mine = service.own_requests(session, agent) if agent else []
        return [row for row in mine if status is None or row.status is status]
    return list(service.requests_by_status(session, status))


@router.post("/time-off", status_code=201, response_model=TimeOffRead, summary="Ask for a day off")
def file_request(user: CurrentUser, session: DbSession, payload: TimeOffCreate) -> TimeOffRequest:
    return actions.file_time_off(session, user, payload, utcnow())


@router.get("/time-off", response_model=list[TimeOffRead], summary="Day-off requests")
def list_requests(
    user: CurrentUser,
    session: DbSession,
    status: Annotated[RequestStatus | None, Query()] = None,
) -> list[TimeOffRequest]:
    return visible_requests(session, user, status)


@router.post("/time-off/{row_id}/approve", response_model=TimeOffRead, summary="Approve a day off")
def approve_request(
    row_id: Id, user: CurrentUser, session: DbSession, payload: TimeOffDecision
) -> TimeOffRequest:
    return actions.decide_time_off(session, user, row_id, payload, utcnow(), approve=True)


@router.post("/time-off/{row_id}/decline", response_model=TimeOffRead, summary="Decline a day off")
def decline_request(
    row_id: Id, user: CurrentUser, session: DbSession, payload: TimeOffDecision
) -> TimeOffRequest:
    return actions.decide_time_off(session, user, row_id, payload, utcnow(), approve=False)


def start_run(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    user: User,
    payload: ScheduleRunCreate,
) -> ScheduleRun:
    """Queue a run and hand it to the app's runner (shared by the page and the API)."""
    run = actions.start_run(
        session,
        user,
        payload,
        utcnow(),
        default_time_limit_seconds=settings.schedule_time_limit_seconds,
    )
    runner_for(request.app).submit(run)
    return run


@router.post(
    "/schedule-runs",
    status_code=202,
    response_model=ScheduleRunRead,
    summary="Start a scheduling run; poll it until done",
)
def create_run(
    request: Request,
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
    payload: ScheduleRunCreate,
) -> ScheduleRun:
    return start_run(request, session, settings, user, payload)


@router.get("/schedule-runs", response_model=list[ScheduleRunRead], summary="Recent runs")
def list_runs(user: CurrentUser, session: DbSession) -> list[ScheduleRun]:
    require(can_schedule, user)
    return list(service.runs(session))


@router.get("/schedule-runs/{row_id}", response_model=ScheduleRunRead, summary="One run")
def read_run(row_id: Id, user: CurrentUser, session: DbSession) -> ScheduleRun:
    return actions.get_run(session, user, row_id)


@router.get(
    "/schedule-runs/{row_id}/shifts", response_model=list[ShiftRead], summary="A run's roster"
)
def read_run_shifts(row_id: Id, user: CurrentUser, session: DbSession) -> list[ShiftRead]:
    run = actions.get_run(session, user, row_id)
    return [ShiftRead.model_validate(row) for row in service.run_shifts(session, run)]


@router.post(
    "/schedule-runs/{row_id}/publish", response_model=ScheduleRunRead, summary="Publish a roster"
)
def publish_run(row_id: Id, user: CurrentUser, session: DbSession) -> ScheduleRun:
    return actions.publish_run(session, user, row_id, utcnow())


@router.get("/my-schedule", response_model=list[ShiftRead], summary="One's published shifts")
def my_schedule(user: CurrentUser, session: DbSession) -> list[ShiftRead]:
    """Empty for an account without an agent record: it has no shifts."""
    agent = service.agent_of(session, user)
    rows = service.published_shifts(session, agent) if agent else []
    return [ShiftRead.model_validate(row) for row in rows]


def _figures(figures: AdherenceFigures) -> dict[str, float | None]:
    return {
        "scheduled_seconds": figures.scheduled_seconds,
        "adherent_seconds": figures.adherent_seconds,
        "worked_seconds": figures.worked_seconds,
        "adherence": figures.adherence,
        "conformance": figures.conformance,
    }


def adherence_read(result: DayAdherence, threshold_minutes: float) -> AdherenceRead:
    return AdherenceRead(
        date=result.day,
        threshold_minutes=threshold_minutes,
        agents=[
            AgentAdherenceRead(
                agent_id=line.agent_id,
                name=line.name,
                team=line.team,
                site=line.site,
                **_figures(line.figures),
            )
            for line in result.agents
        ],
        teams=[
            TeamAdherenceRead(team=team.team, agents=team.agents, **_figures(team.figures))
            for team in result.teams
        ],
        total=AdherenceFiguresRead(**_figures(result.total)),
        exceptions=[
            AdherenceExceptionRead(
                agent_id=row.agent_id,
                name=row.name,
                team=row.team,
                scheduled=row.exception.activity.kind,
                scheduled_name=row.exception.activity.name,
                state=row.exception.state,
                reason=row.exception.reason,
                since=row.exception.since,
                seconds=row.exception.seconds,
            )
            for row in result.exceptions
        ],
    )


@router.get("/wfm/adherence", response_model=AdherenceRead, summary="Schedule adherence of a day")
def adherence_of_day(
    *,
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
    day: Annotated[date | None, Query(alias="date")] = None,
    team_id: Annotated[int | None, Query(gt=0)] = None,
    threshold_minutes: Annotated[float | None, Query(gt=0, le=240)] = None,
) -> AdherenceRead:
    """Adherence and conformance so far per agent, team and in total, and the exceptions
    now (agents out of adherence for at least ``threshold_minutes``); see docs/adherence.md.
    ``date`` defaults to today in the user's time zone."""
    require(can_read_wallboard, user)
    minutes = threshold_minutes or settings.adherence_exception_minutes
    now = utcnow()
    chosen = day or now.astimezone(time_zone(user.time_zone, settings.default_time_zone)).date()
    result = day_adherence(
        session, chosen, now=now, threshold=timedelta(minutes=minutes), team_id=team_id
    )
    return adherence_read(result, minutes)
