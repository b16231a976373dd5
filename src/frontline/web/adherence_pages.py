"""Supervisors' adherence page: the day's figures per team and agent, and the exceptions
now, kept live over the stream of ``live.py`` (the wallboard's pattern)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.auth.access import can_read_wallboard, require
from frontline.auth.models import User
from frontline.core.clock import utcnow
from frontline.core.errors import InvalidInput
from frontline.org.models import Team
from frontline.schedules.adherence import DayAdherence, day_adherence
from frontline.web.dependencies import AppSettings, DbSession
from frontline.web.i18n import N_
from frontline.web.live import event_stream, stream_user, version
from frontline.web.page_routes import PageRoute, PageUser
from frontline.web.templating import render, viewer_for

router = APIRouter(prefix="/adherence", route_class=PageRoute, include_in_schema=False)

POLL_SECONDS = 5.0
BAD_DATE = N_("Enter the day as YYYY-MM-DD")
ACTIVITY_LABELS = {"phone": N_("On the phones"), "break": N_("Break")}

DayQuery = Annotated[str | None, Query(alias="date", max_length=32)]
TeamQuery = Annotated[int | None, Query(alias="team", gt=0)]


def _result(session: Session, day: date, team: int | None, minutes: float) -> DayAdherence:
    threshold = timedelta(minutes=minutes)
    return day_adherence(session, day, now=utcnow(), threshold=threshold, team_id=team)


def active_teams(session: Session) -> Sequence[Team]:
    return session.scalars(select(Team).where(Team.active.is_(True)).order_by(Team.name)).all()


def _context(
    request: Request,
    session: Session,
    user: User,
    *,
    minutes: float,
    day: date | None,
    team: int | None,
) -> dict[str, Any]:
    require(can_read_wallboard, user)
    viewer = viewer_for(request, user)
    chosen = day or viewer.today(utcnow())
    result = _result(session, chosen, team, minutes)
    query = f"date={chosen.isoformat()}" + (f"&team={team}" if team else "")
    return {
        "result": result,
        "day": chosen,
        "team": team,
        "teams": active_teams(session),
        "minutes": minutes,
        "query": query,
        "version": version(result),
        "activity_labels": ACTIVITY_LABELS,
    }


def _parsed_day(text: str | None) -> date | None:
    """The ``date`` of the query string; a bad one is a 422 page naming it."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(BAD_DATE, field="date") from None


def board(
    *,
    request: Request,
    user: PageUser,
    session: DbSession,
    settings: AppSettings,
    day: DayQuery = None,
    team: TeamQuery = None,
) -> dict[str, Any]:
    """What the page and its live part show (a dependency of both)."""
    minutes = settings.adherence_exception_minutes
    return _context(request, session, user, minutes=minutes, day=_parsed_day(day), team=team)


Board = Annotated[dict[str, Any], Depends(board)]


@router.get("")
def adherence_page(request: Request, user: PageUser, context: Board) -> Response:
    return render(request, "adherence/page.html", context, user=user)


@router.get("/parts/board")
def adherence_part(request: Request, user: PageUser, context: Board) -> Response:
    return render(request, "adherence/_board.html", context, user=user)


@router.get("/events")
def adherence_events(
    request: Request, settings: AppSettings, day: DayQuery = None, team: TeamQuery = None
) -> Response:
    user = stream_user(request)
    if user is None or not can_read_wallboard(user):
        return Response(status_code=403)
    zone = viewer_for(request, user).time_zone
    minutes = settings.adherence_exception_minutes
    given = _parsed_day(day)

    def poll(session: Session) -> dict[str, str]:
        chosen = given or utcnow().astimezone(zone).date()
        return {"adherence": version(_result(session, chosen, team, minutes))}

    return event_stream(request, poll, POLL_SECONDS)
