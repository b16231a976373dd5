"""The public help center: published public articles, searchable, no sign-in.

The language is the reader's (``?lang=`` first, then the page language negotiated as
for staff); internal, draft, review and archived articles never appear, whatever is asked.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from markupsafe import Markup

from frontline.core.fields import Id
from frontline.knowledge import actions, service
from frontline.knowledge.markdown import to_html
from frontline.knowledge.search import SearchScope, search
from frontline.web.dependencies import DbSession, check_csrf
from frontline.web.i18n import N_
from frontline.web.kb_pages import LANGUAGES, search_params
from frontline.web.page_routes import FormFields, PageRoute
from frontline.web.templating import flash, render, viewer_for

router = APIRouter(prefix="/help", route_class=PageRoute, include_in_schema=False)
LANGUAGE_NAMES = {"ru": "Русский", "en": "English", "vi": "Tiếng Việt"}  # each in its own


def _language(request: Request) -> str:
    asked = request.query_params.get("lang", "")
    return asked if asked in LANGUAGES else viewer_for(request, None).locale


@router.get("")
def help_center(request: Request, session: DbSession) -> Response:
    params = search_params(request)
    language = _language(request)
    scope = SearchScope(product_id=params.product_id, language=language, public_only=True)
    if params.q:
        hits = search(session, params.q, scope, limit=params.limit)
        by_id = service.articles_by_id(session, [hit.article_id for hit in hits])
        articles = [by_id[hit.article_id] for hit in hits]
    else:
        query = service.article_list_query(
            product_id=params.product_id, language=language, public_only=True
        )
        articles = list(session.scalars(query.limit(50)))
    context = {
        "params": params,
        "articles": articles,
        "language": language,
        "language_names": LANGUAGE_NAMES,
        "products": service.help_products(session),
    }
    return render(request, "help/index.html", context, user=None)


@router.get("/{article_id}")
def help_article(article_id: Id, request: Request, session: DbSession) -> Response:
    article = actions.get_article(session, None, article_id)
    actions.record_view(session, article.id)
    context = {"article": article, "html": Markup(to_html(article.body))}  # noqa: S704 - sanitised
    return render(request, "help/article.html", context, user=None)


@router.post("/{article_id}/feedback", dependencies=[Depends(check_csrf)])
def feedback(article_id: Id, request: Request, session: DbSession, form: FormFields) -> Response:
    article = actions.get_article(session, None, article_id)
    actions.record_feedback(session, article.id, helpful=form.get("helpful") == "yes")
    flash(request, N_("Thank you for your feedback"))
    return RedirectResponse(f"/help/{article.id}", status_code=303)
