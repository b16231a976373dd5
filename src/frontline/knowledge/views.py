"""Knowledge-base API: staff search, suggestions for a contact, the resolving report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from frontline.auth.access import can_read_knowledge, can_review_knowledge, require
from frontline.contacts.models import WrapUpReason
from frontline.contacts.service import get_contact
from frontline.core.errors import InvalidInput
from frontline.core.fields import Id
from frontline.knowledge import service
from frontline.knowledge.assist import suggestions
from frontline.knowledge.models import Visibility
from frontline.knowledge.schemas import ResolvingParams, SearchParams
from frontline.knowledge.search import SearchScope, search
from frontline.web.dependencies import CurrentUser, DbSession

router = APIRouter(prefix="/kb", tags=["knowledge base"])


class SearchResult(BaseModel):
    id: int
    title: str
    score: float
    product_id: int
    language: str
    visibility: Visibility


@router.get("/search", response_model=list[SearchResult], summary="Search published articles")
def search_articles(
    user: CurrentUser, session: DbSession, query: Annotated[SearchParams, Query()]
) -> list[SearchResult]:
    """Ranked published articles, internal ones included; best first."""
    require(can_read_knowledge, user)
    scope = SearchScope(product_id=query.product_id, language=query.language)
    hits = search(session, query.q, scope, limit=query.limit)
    articles = service.articles_by_id(session, [hit.article_id for hit in hits])
    return [
        SearchResult(
            id=hit.article_id,
            title=hit.title,
            score=hit.score,
            product_id=articles[hit.article_id].product_id,
            language=articles[hit.article_id].language,
            visibility=articles[hit.article_id].visibility,
        )
        for hit in hits
    ]


class SuggestionRead(BaseModel):
    id: int
    title: str
    score: float
    answer: str


@router.get(
    "/contacts/{contact_id}/suggestions",
    response_model=list[SuggestionRead],
    summary="Articles for a contact: from its product, wrap-up reason and text",
)
def contact_suggestions(
    user: CurrentUser,
    session: DbSession,
    contact_id: Id,
    reason_id: Annotated[Id | None, Query()] = None,
) -> list[SuggestionRead]:
    """``reason_id`` is the reason the agent is picking now, before the wrap-up is saved."""
    require(can_read_knowledge, user)
    contact = get_contact(session, user, contact_id)
    reason = None
    if reason_id is not None:
        reason = session.get(WrapUpReason, reason_id)
        if reason is None:
            raise InvalidInput(f"No reason with id {reason_id}", field="reason_id")
    return [
        SuggestionRead(id=item.article_id, title=item.title, score=item.score, answer=item.answer)
        for item in suggestions(session, contact, reason=reason)
    ]


class ResolvingRead(BaseModel):
    article_id: int
    title: str
    product_id: int
    product_name: str
    contacts: int
    uses: int


@router.get(
    "/reports/resolving",
    response_model=list[ResolvingRead],
    summary="Articles that resolved the most contacts, per product and period",
)
def resolving_report(
    user: CurrentUser, session: DbSession, query: Annotated[ResolvingParams, Query()]
) -> list[ResolvingRead]:
    # Supervisors, quality analysts and admins: those who keep the base.
    require(can_review_knowledge, user)
    rows = service.top_resolving(
        session,
        product_id=query.product_id,
        start=query.start,
        end=query.end,
        limit=query.limit,
    )
    return [ResolvingRead(**vars(row)) for row in rows]
