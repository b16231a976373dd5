"""Supervisors' page of standard solutions waiting for approval: approve or decline.

It calls ``remedies.actions.decide_grant``, as ``POST /api/v1/remedy-grants/{id}/...`` does.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from frontline.auth.access import can_supervise, require
from frontline.core.fields import Id
from frontline.remedies import actions, service
from frontline.remedies.models import GrantStatus
from frontline.remedies.schemas import GrantDecision
from frontline.web.dependencies import DbSession
from frontline.web.i18n import N_
from frontline.web.page_routes import FormFields, PageRoute, PageUser
from frontline.web.templating import flash, render
from frontline.web.workspace_pages import refusal_as_note

router = APIRouter(prefix="/remedies", route_class=PageRoute, include_in_schema=False)
RECENT = 20

# The actions' refusals people meet on this page, for the catalog.
MESSAGES = (
    N_("Say why the remedy is declined"),
    N_("You cannot approve or decline your own request"),
)


@router.get("/pending")
def pending_grants(request: Request, user: PageUser, session: DbSession) -> Response:
    require(can_supervise, user)
    decided = [
        grant
        for grant in reversed(service.grants_by_status(session))
        if grant.status is not GrantStatus.PENDING and grant.decided_by_id is not None
    ]
    context = {
        "pending": service.grants_by_status(session, GrantStatus.PENDING),
        "decided": decided[:RECENT],
    }
    return render(request, "remedies/pending.html", context, user=user)


def _decide(
    request: Request,
    user: PageUser,
    session: DbSession,
    form: FormFields,
    grant_id: int,
    *,
    approve: bool,
) -> Response:
    with refusal_as_note(request):
        reason = form.get("reason")
        payload = GrantDecision.model_validate(
            {"reason": reason if isinstance(reason, str) else ""}
        )
        grant = actions.decide_grant(session, user, grant_id, payload, approve=approve)
        message = N_("Approved: %(remedy)s") if approve else N_("Declined: %(remedy)s")
        flash(request, message, remedy=grant.remedy.name)
    return RedirectResponse("/remedies/pending", status_code=303)


@router.post("/{grant_id}/approve")
def approve(
    grant_id: Id, request: Request, user: PageUser, session: DbSession, form: FormFields
) -> Response:
    return _decide(request, user, session, form, grant_id, approve=True)


@router.post("/{grant_id}/decline")
def decline(
    grant_id: Id, request: Request, user: PageUser, session: DbSession, form: FormFields
) -> Response:
    return _decide(request, user, session, form, grant_id, approve=False)
