"""The agent's e-mail page: a contact's thread and the reply form.

It calls the same actions as ``GET /api/v1/contacts/{id}/messages`` and
``POST /api/v1/contacts/{id}/reply``; who may see and answer is decided there.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from markupsafe import Markup
from pydantic import ValidationError
from sqlalchemy.orm import Session

from frontline.auth.models import User
from frontline.channels import actions
from frontline.channels.schemas import ReplyCreate
from frontline.contacts.models import OPEN_STATUSES
from frontline.contacts.service import get_contact
from frontline.core.errors import Conflict
from frontline.core.fields import Id
from frontline.knowledge.actions import get_article
from frontline.knowledge.assist import answer_of
from frontline.org.models import Channel
from frontline.web.dependencies import AppSettings, DbSession, check_csrf
from frontline.web.i18n import N_
from frontline.web.page_routes import FormFields, PageRoute, PageUser
from frontline.web.templating import flash, render

router = APIRouter(prefix="/mail", route_class=PageRoute, include_in_schema=False)


@router.get("/{contact_id}")
def thread_page(contact_id: Id, request: Request, user: PageUser, session: DbSession) -> Response:
    contact = get_contact(session, user, contact_id)
    messages = actions.thread(session, user, contact_id)
    answerable = (
        contact.status in OPEN_STATUSES
        and contact.channel in {Channel.EMAIL, Channel.WEB}
        and "@" in contact.address
    )
    context = {
        "contact": contact,
        "messages": messages,
        # html_body was sanitised with nh3 when the message arrived.
        "html": {m.id: Markup(m.html_body) for m in messages if m.html_body},  # noqa: S704
        "answerable": answerable,
        "draft": _draft(session, user, request),
    }
    return render(request, "mail/thread.html", context, user=user)


def _draft(session: Session, user: User, request: Request) -> str:
    """The answer of ``?article=ID`` (inserted from the workspace's suggestions), or nothing."""
    article_id = request.query_params.get("article", "")
    if not article_id.isdigit():
        return ""
    return answer_of(get_article(session, user, int(article_id)))


@router.post("/{contact_id}/reply", dependencies=[Depends(check_csrf)])
def reply(
    contact_id: Id,
    request: Request,
    *,
    user: PageUser,
    session: DbSession,
    settings: AppSettings,
    form: FormFields,
) -> Response:
    try:
        payload = ReplyCreate(text=str(form.get("text", "")))
        actions.reply(session, user, contact_id, payload, settings)
    except ValidationError:
        flash(request, N_("Write the answer first"), error=True)
    except Conflict:
        session.rollback()
        flash(request, N_("This contact can no longer be answered by e-mail"), error=True)
    else:
        flash(request, N_("Your answer is queued and will be sent"))
    return RedirectResponse(f"/mail/{contact_id}", status_code=303)


# Stored files are always downloads: a document must not run as a page of this site.
_FILE_HEADERS = {"X-Content-Type-Options": "nosniff"}


@router.get("/{contact_id}/attachments/{attachment_id}")
def download(contact_id: Id, attachment_id: Id, user: PageUser, session: DbSession) -> Response:
    attachment = actions.attachment(session, user, contact_id, attachment_id)
    disposition = f"attachment; filename*=UTF-8''{quote(attachment.filename or 'attachment')}"
    return Response(
        attachment.data,
        media_type="application/octet-stream",
        headers={**_FILE_HEADERS, "Content-Disposition": disposition},
    )


@router.get("/{contact_id}/attachments/{attachment_id}/preview.png")
def attachment_preview(
    contact_id: Id, attachment_id: Id, user: PageUser, session: DbSession
) -> Response:
    attachment = actions.attachment(session, user, contact_id, attachment_id)
    if attachment.preview_png is None:
        return Response(status_code=404)
    return Response(attachment.preview_png, media_type="image/png", headers=_FILE_HEADERS)


@router.get("/{contact_id}/fax-preview.png")
def fax_preview(contact_id: Id, user: PageUser, session: DbSession) -> Response:
    """The image the workspace shows for a fax contact in hand."""
    preview = actions.fax_preview(session, user, contact_id)
    return Response(preview, media_type="image/png", headers=_FILE_HEADERS)
