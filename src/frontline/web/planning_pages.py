"""The planner's page: forecast against actual, required against scheduled agents, the
roster grid with filters, what-if staffing, and the roster and the plan as XLSX.

What-if inputs are read from the query string and recompute the plan on every view;
nothing is saved. Bad inputs come back as a 422 page with the message beside the field.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Request, Response
from openpyxl import Workbook  # type: ignore[import-untyped]  # openpyxl ships no type hints
from pydantic import Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.auth.access import can_schedule, require
from frontline.auth.models import User
from frontline.core.clock import utcnow
from frontline.core.errors import InvalidInput, NotFound
from frontline.core.schemas import Input
from frontline.org.models import Site
from frontline.schedules import planning, service
from frontline.schedules.models import RunStatus, ScheduleRun
from frontline.web.adherence_pages import active_teams
from frontline.web.charts import Series, chart
from frontline.web.dependencies import DbSession
from frontline.web.form_errors import validation_errors
from frontline.web.i18n import Viewer
from frontline.web.page_routes import PageRoute, PageUser
from frontline.web.schedule_pages import RosterLine, roster
from frontline.web.templating import render, viewer_for
from frontline.wfm.plan import StaffingPlan
from frontline.wfm.plan_files import write_plan_xlsx
from frontline.wfm.planning import DayForecast, WhatIf, day_forecast, example_queues, what_if_plan

router = APIRouter(prefix="/planning", route_class=PageRoute, include_in_schema=False)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROSTER_COLUMNS = ("agent", "team", "site", "day", "kind", "template", "starts", "ends", "breaks")


class PlanningQuery(Input):
    """The page's query string: what-if inputs, the day and queue, the run and filters."""

    service_target: Annotated[float, Field(gt=0, lt=1)] = 0.8
    target_seconds: Annotated[float, Field(gt=0, le=3600)] = 20.0
    aht_seconds: Annotated[float | None, Field(gt=0, le=36_000)] = None
    shrinkage: Annotated[float, Field(ge=0, lt=1)] = 0.3
    day: date | None = None
    queue: str = ""
    run: Annotated[int | None, Field(gt=0)] = None
    team: Annotated[int | None, Field(gt=0)] = None
    site: Annotated[int | None, Field(gt=0)] = None
    roster_day: date | None = None

    @property
    def what_if(self) -> WhatIf:
        return WhatIf(self.service_target, self.target_seconds, self.aht_seconds, self.shrinkage)


def _query(request: Request) -> PlanningQuery:
    # An empty box means "not given": the default applies.
    values = {key: value for key, value in request.query_params.items() if value.strip()}
    return PlanningQuery.model_validate(values)


def _checked_query(request: Request) -> PlanningQuery:
    """The query of a download: a bad input is a 422 naming its field."""
    try:
        return _query(request)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else None
        raise InvalidInput(f"{field}: {error['msg']}", field=field) from None


@dataclass(frozen=True)
class Planning:
    query: PlanningQuery
    day: date
    queue: str
    forecasts: dict[str, DayForecast]
    plan: StaffingPlan
    run: ScheduleRun | None


def _run(session: Session, chosen: int | None) -> ScheduleRun | None:
    if chosen is None:
        return planning.latest_published(session)
    run = session.get(ScheduleRun, chosen)
    if run is None or run.status is not RunStatus.DONE:
        raise NotFound("No finished scheduling run with this id", field="run")
    return run


def _planning(session: Session, query: PlanningQuery, viewer: Viewer) -> Planning:
    queues = example_queues()
    day = query.day or viewer.today(utcnow())
    queue = query.queue if query.queue in queues else queues[0]
    forecasts = {name: day_forecast(name, day) for name in queues}
    plan = what_if_plan(forecasts, query.what_if)
    return Planning(query, day, queue, forecasts, plan, _run(session, query.run))


def _labels(forecast: DayForecast, viewer: Viewer) -> list[str]:
    return [f"{start.astimezone(viewer.time_zone):%H:%M}" for start in forecast.starts]


def _forecast_chart(
    session: Session, shown: Planning, viewer: Viewer
) -> tuple[dict[str, Any], str]:
    """Forecast against actual of the chosen queue; where the actual comes from."""
    forecast = shown.forecasts[shown.queue]
    recorded = planning.contact_volumes(
        session, shown.queue, forecast.starts, forecast.interval_seconds
    )
    actual: list[float | None]
    if recorded is not None:
        actual, source = list(recorded), "contacts"
    elif forecast.example_actual is not None:
        actual, source = [float(v) for v in forecast.example_actual], "example"
    else:
        actual, source = [None] * len(forecast.starts), "none"
    series = [
        Series(viewer.gettext("Actual"), actual, kind="bar"),
        Series(viewer.gettext("Forecast"), [round(float(v), 1) for v in forecast.volume]),
    ]
    config = chart(_labels(forecast, viewer), series, y_title=viewer.gettext("Contacts"))
    return config, source


def _required(shown: Planning) -> tuple[list[int], list[int]]:
    """Agents on the phones and scheduled (with shrinkage) per interval, all queues."""
    on_phones = np.sum([plan.agents for plan in shown.plan.queues], axis=0)
    paid = np.sum([plan.scheduled_agents for plan in shown.plan.queues], axis=0)
    return [int(v) for v in on_phones], [int(v) for v in paid]


def _staffing_chart(
    session: Session, shown: Planning, viewer: Viewer
) -> tuple[dict[str, Any], list[int], list[int], list[int] | None]:
    forecast = shown.forecasts[shown.queue]
    required, paid = _required(shown)
    scheduled = (
        planning.scheduled_per_interval(
            session, shown.run, forecast.starts, forecast.interval_seconds
        )
        if shown.run is not None
        else None
    )
    series = [
        Series(viewer.gettext("Required on the phones"), required),
        Series(viewer.gettext("Required with shrinkage"), paid, dashed=True),
    ]
    if scheduled is not None:
        series.append(Series(viewer.gettext("Scheduled on the phones"), scheduled, kind="bar"))
    config = chart(_labels(forecast, viewer), series, y_title=viewer.gettext("Agents"))
    return config, required, paid, scheduled


def _roster(
    session: Session, shown: Planning, viewer: Viewer
) -> tuple[list[date], list[RosterLine], list[int]]:
    """The run's roster lines kept by the filters, its days, and the day columns shown."""
    run = shown.run
    if run is None:
        return [], [], []
    days = [run.start + timedelta(days=n) for n in range(run.weeks * 7)]
    lines = roster(run, service.run_shifts(session, run), viewer)
    query = shown.query
    lines = [
        line
        for line in lines
        if (query.team is None or line.team_id == query.team)
        and (query.site is None or line.site_id == query.site)
    ]
    columns = list(range(len(days)))
    if query.roster_day is not None and query.roster_day in days:
        columns = [days.index(query.roster_day)]
    return days, lines, columns


def _context(
    request: Request, session: Session, user: User, query: PlanningQuery, viewer: Viewer
) -> dict[str, Any]:
    shown = _planning(session, query, viewer)
    forecast_config, source = _forecast_chart(session, shown, viewer)
    staffing_config, required, paid, scheduled = _staffing_chart(session, shown, viewer)
    days, lines, columns = _roster(session, shown, viewer)
    return {
        "query": query,
        "shown": shown,
        "queues": example_queues(),
        "forecast_chart": forecast_config,
        "actual_source": source,
        "staffing_chart": staffing_config,
        "required_peak": max(required, default=0),
        "paid_peak": max(paid, default=0),
        "scheduled_peak": max(scheduled, default=0) if scheduled is not None else None,
        "sites_cost": shown.plan.sites,
        "runs": planning.finished_runs(session),
        "teams": active_teams(session),
        "sites": session.scalars(select(Site).where(Site.active.is_(True)).order_by(Site.code)),
        "days": days,
        "roster": lines,
        "columns": columns,
        "export_query": request.url.query,
        "errors": {},
    }


@router.get("")
def planning_page(request: Request, user: PageUser, session: DbSession) -> Response:
    require(can_schedule, user)
    viewer = viewer_for(request, user)
    try:
        query = _query(request)
    except ValidationError as exc:
        context = {
            "query": None,
            "values": dict(request.query_params),
            "errors": validation_errors(exc, viewer),
        }
        return render(
            request, "planning/page.html", context, user=user, viewer=viewer, status_code=422
        )
    context = _context(request, session, user, query, viewer)
    context["values"] = dict(request.query_params)
    return render(request, "planning/page.html", context, user=user, viewer=viewer)


def _xlsx(book_bytes: bytes, name: str) -> Response:
    return Response(
        book_bytes,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/plan.xlsx")
def plan_file(request: Request, user: PageUser, session: DbSession) -> Response:
    require(can_schedule, user)
    viewer = viewer_for(request, user)
    shown = _planning(session, _checked_query(request), viewer)
    stream = io.BytesIO()
    write_plan_xlsx(stream, shown.plan)
    return _xlsx(stream.getvalue(), f"plan-{shown.day.isoformat()}.xlsx")


@router.get("/roster.xlsx")
def roster_file(request: Request, user: PageUser, session: DbSession) -> Response:
    require(can_schedule, user)
    viewer = viewer_for(request, user)
    shown = _planning(session, _checked_query(request), viewer)
    days, lines, columns = _roster(session, shown, viewer)
    book = Workbook()
    sheet = book.active
    sheet.title = "roster"
    sheet.append(list(ROSTER_COLUMNS))
    for line in lines:
        for column in columns:
            for shift in line.days[column]:
                sheet.append(
                    [
                        line.name,
                        line.team,
                        line.site,
                        days[column].isoformat(),
                        "day_off" if shift.day_off else "work",
                        shift.template,
                        shift.starts,
                        shift.ends,
                        ", ".join(shift.breaks),
                    ]
                )
    stream = io.BytesIO()
    book.save(stream)
    run_id = shown.run.id if shown.run is not None else 0
    return _xlsx(stream.getvalue(), f"roster-{run_id}.xlsx")
