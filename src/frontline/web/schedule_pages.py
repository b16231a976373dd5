"""Scheduling pages: a planner runs and publishes; an agent reads and downloads their shifts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from frontline.auth.access import can_request_time_off, can_schedule, require
from frontline.core.clock import as_utc, utcnow
from frontline.core.errors import Conflict
from frontline.core.fields import Id
from frontline.schedules import actions, service
from frontline.schedules.calendar import schedule_calendar
from frontline.schedules.models import RunStatus, ScheduledShift, ScheduleRun, ShiftKind
from frontline.schedules.schemas import ScheduleRunCreate
from frontline.schedules.views import start_run
from frontline.web.dependencies import AppSettings, DbSession
from frontline.web.form_errors import attempt
from frontline.web.forms import FormState
from frontline.web.i18n import N_, Viewer
from frontline.web.page_routes import FormFields, PageRoute, PageUser
from frontline.web.templating import flash, is_htmx, render, viewer_for

router = APIRouter(route_class=PageRoute, include_in_schema=False)

MESSAGES = (
    N_("Schedules start on a Monday"),
    N_("A scheduling run is in progress; wait for it to finish"),
    N_("Only a finished run whose roster passed every check can be published"),
)
SHIFT_TITLES = {ShiftKind.WORK: N_("Shift"), ShiftKind.DAY_OFF: N_("Day off")}
FORM_FIELDS = ("start", "weeks", "calls_per_day", "time_limit_seconds")
RUN_STATUS = {
    RunStatus.QUEUED: N_("Queued"),
    RunStatus.RUNNING: N_("Running"),
    RunStatus.DONE: N_("Done"),
    RunStatus.FAILED: N_("Failed"),
}
# The scheduler reports its phase in English, the site's code appended; by prefix.
PHASES = (
    ("building the problem", N_("Building the problem")),
    ("checked rules", N_("Rules checked")),
    ("improving", N_("Improving the roster")),
    ("moving agents", N_("Improving the roster")),
    ("placing breaks", N_("Placing breaks")),
    ("verified", N_("Verified")),
)


def phase_label(phase: str) -> tuple[str, str]:
    """The message id of ``phase`` and the site it names (if any)."""
    for prefix, label in PHASES:
        if phase.startswith(prefix):
            return label, phase.removeprefix(prefix).strip()
    return phase, ""


def _text(form: FormFields, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def _runs_page(
    request: Request,
    session: Session,
    user: PageUser,
    viewer: Viewer,
    state: FormState,
    *,
    status_code: int = 200,
) -> Response:
    context = {"form": state, "runs": service.runs(session), "run_status": RUN_STATUS}
    return render(
        request, "schedule/runs.html", context, user=user, viewer=viewer, status_code=status_code
    )


@router.get("/schedule")
def runs_page(
    request: Request, user: PageUser, session: DbSession, settings: AppSettings
) -> Response:
    require(can_schedule, user)
    viewer = viewer_for(request, user)
    start = _next_monday(viewer.today(utcnow()) + timedelta(days=7))
    values = {
        "start": start.isoformat(),
        "weeks": "1",
        "calls_per_day": "2000",
        "time_limit_seconds": f"{settings.schedule_time_limit_seconds:g}",
    }
    return _runs_page(request, session, user, viewer, FormState(values=values))


@router.post("/schedule")
def start_run_page(
    request: Request, user: PageUser, session: DbSession, settings: AppSettings, form: FormFields
) -> Response:
    require(can_schedule, user)
    viewer = viewer_for(request, user)
    running = service.active_run(session, utcnow())
    if running is not None:
        flash(request, actions.RUN_IN_PROGRESS, error=True)
        return RedirectResponse(f"/schedule/runs/{running.id}", status_code=303)
    values = {name: _text(form, name) for name in FORM_FIELDS}

    def save() -> ScheduleRun:
        payload = ScheduleRunCreate.model_validate(values)
        return start_run(request, session, settings, user, payload)

    run, errors = attempt(save, session, viewer)
    if run is not None:
        return RedirectResponse(f"/schedule/runs/{run.id}", status_code=303)
    if "__form__" in errors or any(name not in FORM_FIELDS for name in errors):
        errors = {"start": next(iter(errors.values()))} | errors
    return _runs_page(request, session, user, viewer, FormState(values, errors), status_code=422)


@dataclass(frozen=True)
class ShiftView:
    """A shift or a day off on the viewer's clock: its day and ``HH:MM`` times."""

    day: date
    day_off: bool
    template: str
    starts: str
    ends: str
    breaks: list[str]


def _clock(moment: datetime, day: date, viewer: Viewer) -> str:
    """``HH:MM`` on the viewer's clock, ``+1`` when past the shift's first day."""
    local = as_utc(moment).astimezone(viewer.time_zone)
    extra = (local.date() - day).days
    return f"{local:%H:%M}" + (f" (+{extra})" if extra > 0 else "")


def _shift_view(row: ScheduledShift, viewer: Viewer) -> ShiftView:
    if row.kind is ShiftKind.DAY_OFF:
        # Stored midnight to midnight on the site's clock: its middle names the day anywhere.
        middle = as_utc(row.starts_at) + (as_utc(row.ends_at) - as_utc(row.starts_at)) / 2
        return ShiftView(viewer.today(middle), True, "", "", "", [])
    day = viewer.today(row.starts_at)
    breaks = [
        f"{_clock(datetime.fromisoformat(start), day, viewer)}–"
        f"{_clock(datetime.fromisoformat(end), day, viewer)}"
        for start, end in row.breaks
    ]
    return ShiftView(
        day,
        False,
        row.template,
        _clock(row.starts_at, day, viewer),
        _clock(row.ends_at, day, viewer),
        breaks,
    )


@dataclass(frozen=True)
class RosterLine:
    """One agent's row of the run's roster: what each day holds."""

    name: str
    days: list[list[ShiftView]]
    team_id: int | None = None
    team: str = ""
    site_id: int = 0
    site: str = ""


def roster(run: ScheduleRun, rows: Sequence[ScheduledShift], viewer: Viewer) -> list[RosterLine]:
    """Shifts by agent and by day, on the viewer's calendar, by team then name."""
    first = run.start
    lines: dict[int, RosterLine] = {}
    for row in rows:
        agent = row.agent
        line = lines.setdefault(
            row.agent_id,
            RosterLine(
                agent.full_name,
                [[] for _ in range(run.weeks * 7)],
                agent.team_id,
                agent.team.name if agent.team is not None else "",
                agent.site_id,
                agent.site.code,
            ),
        )
        shown = _shift_view(row, viewer)
        index = (shown.day - first).days
        if 0 <= index < len(line.days):
            line.days[index].append(shown)
    return sorted(lines.values(), key=lambda line: (line.team, line.name))


def _run_context(session: Session, run: ScheduleRun, viewer: Viewer) -> dict[str, object]:
    requests = service.requests_by_ids(session, [d["request_id"] for d in run.request_decisions])
    finished = actions.is_finished(run)
    return {
        "run": run,
        "finished": finished,
        "days": [run.start + timedelta(days=n) for n in range(run.weeks * 7)],
        "roster": roster(run, service.run_shifts(session, run), viewer) if finished else [],
        "decisions": [(requests.get(d["request_id"]), d) for d in run.request_decisions],
        "run_status": RUN_STATUS,
        "phase": phase_label(run.phase),
    }


@router.get("/schedule/runs/{row_id}")
def run_page(row_id: Id, request: Request, user: PageUser, session: DbSession) -> Response:
    run = actions.get_run(session, user, row_id)
    viewer = viewer_for(request, user)
    template = "schedule/_progress.html" if is_htmx(request) else "schedule/run.html"
    response = render(
        request, template, _run_context(session, run, viewer), user=user, viewer=viewer
    )
    if is_htmx(request) and actions.is_finished(run):
        # The whole page holds the roster and the publish button: load it once, at the end.
        response.headers["HX-Refresh"] = "true"
    return response


@router.post("/schedule/runs/{row_id}/publish")
def publish_page(row_id: Id, request: Request, user: PageUser, session: DbSession) -> Response:
    try:
        actions.publish_run(session, user, row_id, utcnow())
    except Conflict as exc:
        flash(request, exc.message, error=True)
    else:
        flash(request, N_("Published: agents see this schedule now"))
    return RedirectResponse(f"/schedule/runs/{row_id}", status_code=303)


def _mine(session: Session, user: PageUser) -> tuple[bool, list[ScheduledShift]]:
    require(can_request_time_off, user)
    agent = service.agent_of(session, user)
    return agent is not None, service.published_shifts(session, agent) if agent else []


@router.get("/my-schedule")
def my_schedule(request: Request, user: PageUser, session: DbSession) -> Response:
    has_record, shifts = _mine(session, user)
    viewer = viewer_for(request, user)
    today = viewer.today(utcnow())
    shown = [_shift_view(row, viewer) for row in shifts]
    context = {
        "has_record": has_record,
        "shifts": [view for view in shown if view.day >= today],
        "zone": str(viewer.time_zone),
    }
    return render(request, "schedule/mine.html", context, user=user, viewer=viewer)


@router.get("/my-schedule.ics")
def my_schedule_file(request: Request, user: PageUser, session: DbSession) -> Response:
    _, shifts = _mine(session, user)
    viewer = viewer_for(request, user)
    titles = {kind: viewer.gettext(title) for kind, title in SHIFT_TITLES.items()}
    return Response(
        schedule_calendar(shifts, titles, utcnow()),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="schedule.ics"'},
    )
