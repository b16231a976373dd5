"""The assistant's public page (no sign-in) and its report for supervisors.

The page keeps the conversation's public id in the session cookie and calls the same
actions as ``POST /api/v1/assistant/conversations/{id}/messages``; htmx swaps in the log.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from frontline.assistant import actions, service
from frontline.assistant.dialogue import Intent
from frontline.assistant.models import AssistantConversation
from frontline.assistant.schemas import ConversationCreate, MessageCreate
from frontline.auth.access import can_read_wallboard, require
from frontline.core.clock import utcnow
from frontline.core.errors import NotFound
from frontline.web.charts import Series, chart
from frontline.web.dependencies import DbSession, check_csrf
from frontline.web.form_errors import validation_errors
from frontline.web.i18n import LOCALES, N_, Viewer
from frontline.web.page_routes import FormFields, PageRoute, PageUser
from frontline.web.templating import is_htmx, render, viewer_for

router = APIRouter(prefix="/assistant", route_class=PageRoute, include_in_schema=False)
SESSION_CONVERSATION = "assistant_conversation"
REPORT_DAYS = 30
INTENT_LABELS = {
    "handoff": N_("Hand-off to an agent"),
    "atm": N_("Nearest ATM"),
    "request_status": N_("Status of a request"),
    "verification": N_("Verification"),
    "question": N_("Question to the help center"),
}


def _conversation(request: Request, session: DbSession) -> AssistantConversation | None:
    public_id = request.session.get(SESSION_CONVERSATION)
    if not isinstance(public_id, str):
        return None
    try:
        return service.conversation_by_public_id(session, public_id)
    except NotFound:
        return None


def _page(
    request: Request,
    conversation: AssistantConversation | None,
    errors: dict[str, str],
    text: str = "",
    status_code: int = 200,
) -> Response:
    context = {
        "conversation": conversation,
        "greeting": actions.GREETING,
        "errors": errors,
        "text": text,
    }
    template = "assistant/_log.html" if is_htmx(request) else "assistant/page.html"
    return render(request, template, context, user=None, status_code=status_code)


@router.get("")
def assistant_page(request: Request, session: DbSession) -> Response:
    return _page(request, _conversation(request, session), {})


@router.post("/say", dependencies=[Depends(check_csrf)])
def say(request: Request, session: DbSession, form: FormFields) -> Response:
    viewer = viewer_for(request, None)
    raw = form.get("text")
    text = raw if isinstance(raw, str) else ""
    conversation = _conversation(request, session)
    try:
        message = MessageCreate.model_validate({"text": text})
    except ValidationError as exc:
        return _page(request, conversation, validation_errors(exc, viewer), text, 422)
    if conversation is None:
        language = viewer.locale if viewer.locale in LOCALES else "ru"
        conversation = actions.start(session, ConversationCreate(channel="web", language=language))
        request.session[SESSION_CONVERSATION] = conversation.public_id
    actions.answer(session, conversation, message.text, viewer.translations.gettext)
    if not is_htmx(request):
        return RedirectResponse("/assistant", status_code=303)
    return _page(request, conversation, {})


@router.post("/restart", dependencies=[Depends(check_csrf)])
def restart(request: Request) -> Response:
    request.session.pop(SESSION_CONVERSATION, None)
    return RedirectResponse("/assistant", status_code=303)


@router.get("/report")
def assistant_report(request: Request, user: PageUser, session: DbSession) -> Response:
    require(can_read_wallboard, user)
    viewer = viewer_for(request, user)
    end = utcnow()
    rows = service.report(session, end - timedelta(days=REPORT_DAYS), end, viewer.time_zone)
    last_day = end.astimezone(viewer.time_zone).date()
    context = {
        "rows": rows,
        "days": REPORT_DAYS,
        "intent_labels": INTENT_LABELS,
        "outcome_chart": outcome_chart(rows, last_day, viewer),
    }
    return render(request, "assistant/report.html", context, user=user, viewer=viewer)


def outcome_chart(rows: list[service.ReportRow], last_day: date, viewer: Viewer) -> dict[str, Any]:
    """Per day of the report: messages resolved, answered without a resolution, hand-offs.

    Every day of the period has its bars, quiet days included, so the trend reads true.
    """
    days = [last_day - timedelta(days=back) for back in range(REPORT_DAYS - 1, -1, -1)]
    resolved = dict.fromkeys(days, 0)
    unresolved = dict.fromkeys(days, 0)
    handed_off = dict.fromkeys(days, 0)
    for row in rows:
        if row.day not in resolved:
            continue
        if row.intent == Intent.HANDOFF.value:
            handed_off[row.day] += row.turns
        else:
            resolved[row.day] += row.resolved
            unresolved[row.day] += row.turns - row.resolved
    series = [
        Series(viewer.gettext("Resolved"), [resolved[day] for day in days], kind="bar"),
        Series(viewer.gettext("Not resolved"), [unresolved[day] for day in days], kind="bar"),
        Series(viewer.gettext("Handed off"), [handed_off[day] for day in days], kind="bar"),
    ]
    labels = [viewer.format_date(day) for day in days]
    return chart(labels, series, y_title=viewer.gettext("Messages"), stacked=True)
