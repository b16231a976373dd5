"""Day-off pages: an agent files and follows requests; a supervisor decides pending ones."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from frontline.auth.access import can_decide_time_off, can_request_time_off, require
from frontline.auth.models import User
from frontline.core.clock import utcnow
from frontline.core.errors import Conflict, InvalidInput
from frontline.core.fields import Id
from frontline.schedules import actions, service
from frontline.schedules.models import RequestStatus, TimeOffRequest
from frontline.schedules.schemas import TimeOffCreate, TimeOffDecision
from frontline.web.dependencies import DbSession
from frontline.web.form_errors import attempt
from frontline.web.forms import FormState
from frontline.web.i18n import N_, Viewer
from frontline.web.page_routes import FormFields, PageRoute, PageUser
from frontline.web.templating import flash, render, viewer_for
from frontline.wfm.schedule import Rules

router = APIRouter(prefix="/time-off", route_class=PageRoute, include_in_schema=False)

# The actions' refusals people meet on these pages, for the catalog.
MESSAGES = (
    N_("Your account has no agent record; ask an administrator to link one"),
    N_("The day has passed; ask for today or a later day"),
    N_("You have already asked for this day"),
    N_("This request has already been decided"),
    N_("Say why the request is declined"),
)
REQUEST_STATUS = {
    RequestStatus.REQUESTED: N_("Pending"),
    RequestStatus.APPROVED: N_("Approved"),
    RequestStatus.DECLINED: N_("Declined"),
}


def _text(form: FormFields, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _own_page(
    request: Request,
    session: DbSession,
    user: User,
    viewer: Viewer,
    state: FormState,
    *,
    status_code: int = 200,
) -> Response:
    agent = service.agent_of(session, user)
    context = {
        "form": state,
        "agent": agent,
        "requests": service.own_requests(session, agent) if agent else [],
        "deadline_days": Rules().request_deadline_days,
        "request_status": REQUEST_STATUS,
    }
    return render(
        request,
        "schedule/time_off.html",
        context,
        user=user,
        viewer=viewer,
        status_code=status_code,
    )


@router.get("")
def own_requests(request: Request, user: PageUser, session: DbSession) -> Response:
    require(can_request_time_off, user)
    return _own_page(request, session, user, viewer_for(request, user), FormState())


@router.post("")
def file_request(
    request: Request, user: PageUser, session: DbSession, form: FormFields
) -> Response:
    require(can_request_time_off, user)
    viewer = viewer_for(request, user)
    values = {"day": _text(form, "day"), "reason": _text(form, "reason")}

    def save() -> TimeOffRequest:
        payload = TimeOffCreate.model_validate(values)
        return actions.file_time_off(session, user, payload, utcnow())

    try:
        filed, errors = attempt(save, session, viewer)
    except Conflict as exc:  # no agent record: nothing on the form can fix it
        filed, errors = None, {"day": viewer.gettext(exc.message)}
    if filed is not None:
        message = (
            N_("Request filed after the deadline: %(day)s")
            if filed.late
            else N_("Request filed: %(day)s")
        )
        flash(request, message, day=viewer.format_date(filed.day))
        return RedirectResponse("/time-off", status_code=303)
    return _own_page(request, session, user, viewer, FormState(values, errors), status_code=422)


@router.get("/pending")
def pending_requests(request: Request, user: PageUser, session: DbSession) -> Response:
    require(can_decide_time_off, user)
    context = {
        "pending": service.requests_by_status(session, RequestStatus.REQUESTED),
        "decided": [
            row
            for row in reversed(service.requests_by_status(session))
            if row.status is not RequestStatus.REQUESTED
        ][:20],
        "request_status": REQUEST_STATUS,
    }
    return render(request, "schedule/pending.html", context, user=user)


def _decide(
    request: Request,
    user: User,
    session: DbSession,
    form: FormFields,
    row_id: int,
    *,
    approve: bool,
) -> Response:
    viewer = viewer_for(request, user)
    try:
        payload = TimeOffDecision.model_validate({"reason": _text(form, "reason")})
        decided = actions.decide_time_off(session, user, row_id, payload, utcnow(), approve=approve)
    except ValidationError:
        flash(request, N_("The reason is too long"), error=True)
    except (InvalidInput, Conflict) as exc:
        session.rollback()
        flash(request, exc.message, error=True)
    else:
        message = (
            N_("Approved: %(name)s, %(day)s") if approve else N_("Declined: %(name)s, %(day)s")
        )
        flash(request, message, name=decided.agent.full_name, day=viewer.format_date(decided.day))
    return RedirectResponse("/time-off/pending", status_code=303)


@router.post("/{row_id}/approve")
def approve(
    row_id: Id, request: Request, user: PageUser, session: DbSession, form: FormFields
) -> Response:
    return _decide(request, user, session, form, row_id, approve=True)


@router.post("/{row_id}/decline")
def decline(
    row_id: Id, request: Request, user: PageUser, session: DbSession, form: FormFields
) -> Response:
    return _decide(request, user, session, form, row_id, approve=False)
