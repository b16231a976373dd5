"""PostgreSQL's ranked query (``kb_fts_ranked`` + covering scope index) against a plain one.

The faster plan must return what the straightforward statement returns — every match
ranked by ``ts_rank``, filtered by the scope — for each evaluation query and for the
help center's and a product's narrower scopes. SQLite has no such plan; it is skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from frontline.knowledge.files import import_directory
from frontline.knowledge.search import (
    POSTGRESQL_NORMALISATION,
    POSTGRESQL_WEIGHTS,
    SearchScope,
    query_terms,
    search,
)
from tests.knowledge.eval_set import EVAL_SET
from tests.knowledge.factories import add_demo_products

DEMO_ARTICLES = Path(__file__).resolve().parents[2] / "src/frontline/demo/kb"
# The statement search used before the plan change: one join, ranked in the open.
PLAIN = (
    "SELECT a.id, ts_rank(CAST(:weights AS real[]), f.document, q.query, :normalisation) AS s "
    "FROM kb_fts f CROSS JOIN to_tsquery('simple', :query) AS q(query) "
    "JOIN kb_articles a ON a.id = f.article_id "
    "WHERE f.document @@ q.query AND a.status = 'published' "
    "AND (CAST(:product_id AS integer) IS NULL OR a.product_id = :product_id) "
    "AND (CAST(:language AS text) IS NULL OR a.language = :language) "
    "AND (NOT :public_only OR a.visibility = 'public') "
    "ORDER BY s DESC, a.id LIMIT 10"
)


@pytest.fixture
def corpus(db: Session) -> tuple[Session, dict[str, int]]:
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("the ranked-matches function is PostgreSQL's")
    products = add_demo_products(db)
    import_directory(db, DEMO_ARTICLES)
    return db, products


def _plain(session: Session, query: str, scope: SearchScope) -> list[tuple[int, float]]:
    terms = query_terms(session, query)
    params = {
        "weights": POSTGRESQL_WEIGHTS,
        "normalisation": POSTGRESQL_NORMALISATION,
        "query": " | ".join(f"'{term}'" for term in terms),
        "product_id": scope.product_id,
        "language": scope.language,
        "public_only": scope.public_only,
    }
    return [(row[0], round(row[1], 6)) for row in session.execute(text(PLAIN), params)]


def _ranked(session: Session, query: str, scope: SearchScope) -> list[tuple[int, float]]:
    return [(hit.article_id, round(hit.score, 6)) for hit in search(session, query, scope)]


def test_every_evaluation_query_gets_the_plain_statements_top_ten(
    corpus: tuple[Session, dict[str, int]],
) -> None:
    session, _ = corpus
    for item in EVAL_SET:
        expected = _plain(session, item.query, SearchScope())
        assert expected, item.query
        assert _ranked(session, item.query, SearchScope()) == expected, item.query


@pytest.mark.parametrize(
    ("query", "language", "product", "public_only"),
    [
        ("налоговая декларация", "ru", "TAX", False),
        ("lap hoa don dien tu", "vi", None, True),
        ("сертфикат подписи продлить", None, "SIGN", True),
    ],
)
def test_narrower_scopes_filter_before_the_top_ten(
    corpus: tuple[Session, dict[str, int]],
    query: str,
    language: str | None,
    product: str | None,
    public_only: bool,
) -> None:
    session, products = corpus
    scope = SearchScope(
        product_id=None if product is None else products[product],
        language=language,
        public_only=public_only,
    )
    expected = _plain(session, query, scope)
    assert expected, query
    assert _ranked(session, query, scope) == expected
