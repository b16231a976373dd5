"""Knowledge-base pages for staff: search and list, article view, editor, history.

They call the knowledge domain's actions, as the CLI does; the public help center is
``help_pages.py``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.auth.access import (
    can_edit_knowledge,
    can_read_knowledge,
    can_review_knowledge,
    require,
)
from frontline.auth.models import User
from frontline.core.clock import utcnow
from frontline.core.fields import Id
from frontline.knowledge import actions, service
from frontline.knowledge.actions import TRANSITIONS
from frontline.knowledge.markdown import to_html
from frontline.knowledge.models import ArticleStatus, KbArticle, KbAttachment, Visibility
from frontline.knowledge.schemas import (
    ArticleCreate,
    ArticleEdit,
    ResolvingParams,
    SearchParams,
)
from frontline.knowledge.search import SearchScope, search
from frontline.org.models import Product
from frontline.web.dependencies import DbSession
from frontline.web.form_errors import attempt
from frontline.web.forms import FormState
from frontline.web.i18n import N_
from frontline.web.page_routes import FormFields, PageRoute, PageUser
from frontline.web.templating import flash, render, viewer_for

router = APIRouter(prefix="/kb", route_class=PageRoute, include_in_schema=False)

LANGUAGES = ("ru", "en", "vi")
REPORT_DAYS = 30  # the resolving report's default period, ending today
EDITOR_FIELDS = ("title", "product_id", "language", "tags", "visibility", "body", "note")
STATUS_ACTIONS = {
    ArticleStatus.REVIEW: N_("Send to review"),
    ArticleStatus.PUBLISHED: N_("Publish"),
    ArticleStatus.DRAFT: N_("Back to draft"),
    ArticleStatus.ARCHIVED: N_("Archive"),
}


def search_params(request: Request) -> SearchParams:
    """The search form's values; anything malformed is dropped rather than refused."""
    params = {key: value for key, value in request.query_params.items() if value != ""}
    try:
        return SearchParams.model_validate(params)
    except ValidationError:
        return SearchParams(q=params.get("q", "")[:300])


def _products(session: Session) -> list[Product]:
    return list(session.scalars(select(Product).where(Product.active).order_by(Product.name)))


@router.get("")
def list_articles(request: Request, user: PageUser, session: DbSession) -> Response:
    require(can_read_knowledge, user)
    params = search_params(request)
    if params.q:
        scope = SearchScope(
            product_id=params.product_id,
            language=params.language,
            statuses=tuple(ArticleStatus),
        )
        hits = search(session, params.q, scope, limit=params.limit * 5)
        by_id = service.articles_by_id(session, [hit.article_id for hit in hits])
        articles = [by_id[hit.article_id] for hit in hits]
    else:
        query = service.article_list_query(product_id=params.product_id, language=params.language)
        articles = list(session.scalars(query.limit(100)))
    context = {
        "params": params,
        "articles": articles,
        "products": _products(session),
        "languages": LANGUAGES,
        "can_edit": can_edit_knowledge(user),
        "can_review": can_review_knowledge(user),
    }
    return render(request, "kb/list.html", context, user=user)


def _day(request: Request, name: str) -> date | None:
    try:
        return date.fromisoformat(request.query_params.get(name, ""))
    except ValueError:
        return None


@router.get("/reports/resolving")
def resolving_report(request: Request, user: PageUser, session: DbSession) -> Response:
    """Articles that resolved the most contacts; days are the viewer's, the end day included."""
    require(can_review_knowledge, user)
    viewer = viewer_for(request, user)
    today = utcnow().astimezone(viewer.time_zone).date()
    first = _day(request, "start") or today - timedelta(days=REPORT_DAYS - 1)
    last = max(_day(request, "end") or today, first)
    product_id = request.query_params.get("product_id", "")
    params = ResolvingParams(
        product_id=int(product_id) if product_id.isdigit() else None,
        start=datetime.combine(first, time(), viewer.time_zone),
        end=datetime.combine(last + timedelta(days=1), time(), viewer.time_zone),
    )
    rows = service.top_resolving(
        session, product_id=params.product_id, start=params.start, end=params.end
    )
    context = {
        "rows": rows,
        "products": _products(session),
        "product_id": params.product_id,
        "first": first,
        "last": last,
    }
    return render(request, "kb/resolving.html", context, user=user, viewer=viewer)


def _editor_values(article: KbArticle | None) -> dict[str, str]:
    if article is None:
        return {"language": "ru", "visibility": Visibility.INTERNAL.value}
    return {
        "title": article.title,
        "product_id": str(article.product_id),
        "language": article.language,
        "tags": ", ".join(article.tags),
        "visibility": article.visibility.value,
        "body": article.body,
    }


def _form_values(form: FormFields) -> dict[str, str]:
    return {name: str(form.get(name) or "") for name in EDITOR_FIELDS}


def _split_tags(text: str) -> list[str]:
    return [tag for tag in text.split(",") if tag.strip()]


def _editor(
    request: Request,
    session: Session,
    user: User,
    state: FormState,
    *,
    article: KbArticle | None,
    status_code: int = 200,
) -> Response:
    context = {
        "article": article,
        "form": state,
        "products": _products(session),
        "languages": LANGUAGES,
        "visibilities": list(Visibility),
        "preview": Markup(to_html(state.values.get("body", ""))),  # noqa: S704 - sanitised
        "action": f"/kb/{article.id}/edit" if article else "/kb/new",
    }
    return render(request, "kb/form.html", context, user=user, status_code=status_code)


@router.get("/new")
def new_article(request: Request, user: PageUser, session: DbSession) -> Response:
    require(can_edit_knowledge, user)
    return _editor(request, session, user, FormState(values=_editor_values(None)), article=None)


@router.post("/new")
def create_article(
    request: Request, user: PageUser, session: DbSession, form: FormFields
) -> Response:
    require(can_edit_knowledge, user)
    values = _form_values(form)

    def save() -> KbArticle:
        payload = ArticleCreate.model_validate(
            {
                **{k: v for k, v in values.items() if k not in {"tags", "note", "product_id"}},
                "product_id": values["product_id"] or None,
                "tags": _split_tags(values["tags"]),
            }
        )
        return actions.create_article(session, user, payload)

    article, errors = attempt(save, session, viewer_for(request, user))
    if article is not None:
        flash(request, N_("Saved: %(name)s"), name=article.title)
        return RedirectResponse(f"/kb/{article.id}", status_code=303)
    state = FormState(values, errors)
    return _editor(request, session, user, state, article=None, status_code=422)


@router.post("/preview")
def preview(user: PageUser, form: FormFields) -> Response:
    """The editor's preview: the Markdown as readers will see it, sanitised."""
    require(can_edit_knowledge, user)
    return HTMLResponse(to_html(str(form.get("body") or "")))


@router.get("/{article_id}")
def view_article(article_id: Id, request: Request, user: PageUser, session: DbSession) -> Response:
    article = actions.get_article(session, user, article_id)
    actions.record_view(session, article.id)
    session.refresh(article)
    links_to, linked_from = service.links_of(session, article.id)
    moves = [
        (target, STATUS_ACTIONS[target])
        for (source, target), needs_review in TRANSITIONS.items()
        if source is article.status
        and can_edit_knowledge(user)
        and (not needs_review or can_review_knowledge(user))
    ]
    context: dict[str, Any] = {
        "article": article,
        "html": Markup(to_html(article.body)),  # noqa: S704 - sanitised by to_html
        "moves": moves,
        "links_to": links_to,
        "linked_from": linked_from,
        "can_edit": can_edit_knowledge(user),
    }
    return render(request, "kb/view.html", context, user=user)


@router.get("/{article_id}/edit")
def edit_form(article_id: Id, request: Request, user: PageUser, session: DbSession) -> Response:
    require(can_edit_knowledge, user)
    article = actions.get_article(session, user, article_id)
    state = FormState(values=_editor_values(article))
    return _editor(request, session, user, state, article=article)


@router.post("/{article_id}/edit")
def edit_article(
    article_id: Id, request: Request, user: PageUser, session: DbSession, form: FormFields
) -> Response:
    require(can_edit_knowledge, user)
    article = actions.get_article(session, user, article_id)
    values = _form_values(form)

    def save() -> KbArticle:
        payload = ArticleEdit.model_validate(
            {
                "title": values["title"],
                "body": values["body"],
                "tags": _split_tags(values["tags"]),
                "visibility": values["visibility"],
                "note": values["note"],
            }
        )
        return actions.edit_article(session, user, article_id, payload)

    saved, errors = attempt(save, session, viewer_for(request, user))
    if saved is not None:
        flash(request, N_("Saved: %(name)s"), name=saved.title)
        return RedirectResponse(f"/kb/{article_id}", status_code=303)
    state = FormState(values, errors)
    return _editor(request, session, user, state, article=article, status_code=422)


@router.post("/{article_id}/status")
def change_status(
    article_id: Id, request: Request, user: PageUser, session: DbSession, form: FormFields
) -> Response:
    try:
        target = ArticleStatus(str(form.get("to") or ""))
    except ValueError:
        target = ArticleStatus.DRAFT
    article = actions.move_article(session, user, article_id, target)
    flash(request, N_("Saved: %(name)s"), name=article.title)
    return RedirectResponse(f"/kb/{article_id}", status_code=303)


@router.post("/{article_id}/versions/{number}/restore")
def restore(
    article_id: Id, number: Id, request: Request, user: PageUser, session: DbSession
) -> Response:
    article = actions.restore_version(session, user, article_id, number)
    flash(request, N_("Version %(number)s restored"), number=str(number))
    return RedirectResponse(f"/kb/{article.id}", status_code=303)


@router.post("/{article_id}/attachments")
async def attach(article_id: Id, request: Request, user: PageUser, session: DbSession) -> Response:
    form = await request.form()
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        flash(request, N_("Choose a file to attach"), error=True)
        return RedirectResponse(f"/kb/{article_id}", status_code=303)
    try:
        data = await upload.read(actions.MAX_ATTACHMENT_BYTES + 1)
    finally:
        await form.close()
    actions.attach_file(
        session,
        user,
        article_id,
        filename=upload.filename or "",
        content_type=upload.content_type or "",
        data=data,
    )
    flash(request, N_("Attached: %(name)s"), name=upload.filename or "")
    return RedirectResponse(f"/kb/{article_id}", status_code=303)


@router.get("/{article_id}/attachments/{attachment_id}")
def download(article_id: Id, attachment_id: Id, user: PageUser, session: DbSession) -> Response:
    article = actions.get_article(session, user, article_id)
    attachment = session.get(KbAttachment, attachment_id)
    if attachment is None or attachment.article_id != article.id:
        return Response(status_code=404)
    # Always a download: an uploaded HTML file must not run as a page of this site.
    disposition = f"attachment; filename*=UTF-8''{quote(attachment.filename)}"
    headers = {"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"}
    return Response(attachment.data, media_type="application/octet-stream", headers=headers)
