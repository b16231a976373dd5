"""Knowledge-base API: the staff search the agent workspace will call."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from frontline.auth.access import can_read_knowledge, require
from frontline.knowledge import service
from frontline.knowledge.models import Visibility
from frontline.knowledge.schemas import SearchParams
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
