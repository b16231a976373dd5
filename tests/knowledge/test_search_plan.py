"""PostgreSQL's ranked query (summed postings, then ts_rank) against a plain one.

The faster plan must return what the straightforward statement returns — every match
ranked by ``ts_rank``, filtered by the scope — for each evaluation query and for the
help center's and a product's narrower scopes. SQLite has no such plan; it is skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from frontline.knowledge import search as search_module
from frontline.knowledge.actions import add_article, apply_edit
from frontline.knowledge.files import import_directory
from frontline.knowledge.models import ArticleStatus, Visibility
from frontline.knowledge.schemas import ArticleCreate, ArticleEdit
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
        pytest.skip("the postings are PostgreSQL's")
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


def _found(session: Session, query: str, scope: SearchScope) -> list[int]:
    return [hit.article_id for hit in search(session, query, scope)]


def test_the_postings_follow_every_write_to_an_article(
    corpus: tuple[Session, dict[str, int]],
) -> None:
    session, products = corpus
    article = add_article(
        session,
        None,
        ArticleCreate(
            product_id=products["TAX"],
            language="en",
            title="Zebrafish invoices",
            body="Quokka receipts are archived nightly.",
            visibility=Visibility.PUBLIC,
        ),
        status=ArticleStatus.PUBLISHED,
    )
    session.commit()
    help_center = SearchScope(public_only=True)
    assert _found(session, "zebrafish", help_center) == [article.id]
    assert _found(session, "quokka", SearchScope(product_id=products["TAX"])) == [article.id]

    # Scope changes reach the postings without a new text.
    article.visibility = Visibility.INTERNAL
    session.commit()
    assert _found(session, "zebrafish", help_center) == []
    assert _found(session, "zebrafish", SearchScope()) == [article.id]
    article.product_id = products["SIGN"]
    session.commit()
    assert _found(session, "quokka", SearchScope(product_id=products["TAX"])) == []
    assert _found(session, "quokka", SearchScope(product_id=products["SIGN"])) == [article.id]

    # A new text replaces the old lexemes.
    apply_edit(
        session,
        None,
        article,
        ArticleEdit(title="Zebrafish invoices", body="Wombat receipts are archived weekly."),
    )
    session.commit()
    assert _found(session, "wombat", SearchScope()) == [article.id]
    assert article.id not in _found(session, "quokka", SearchScope())

    session.delete(article)
    session.commit()
    left = session.scalar(
        text("SELECT count(*) FROM kb_fts_postings WHERE article_id = :id"), {"id": article.id}
    )
    assert left == 0


# SQLite's statement before the window: the scope tested on every match, then ranked.
SQLITE_PLAIN = (
    "SELECT a.id, -bm25(kb_fts, 10, 4, 1) AS s FROM kb_fts "
    "JOIN kb_articles a ON a.id = kb_fts.rowid "
    "WHERE kb_fts MATCH :match AND a.status = 'published' "
    "AND (NOT :public_only OR a.visibility = 'public') "
    "ORDER BY bm25(kb_fts, 10, 4, 1), a.id LIMIT :limit"
)


@pytest.mark.parametrize("window", [1, search_module.SQLITE_WINDOW])
@pytest.mark.parametrize("public_only", [False, True])
@pytest.mark.parametrize("limit", [1, 3, 10])
def test_sqlite_ranks_a_window_first_and_returns_what_ranking_every_match_does(
    db: Session, monkeypatch: pytest.MonkeyPatch, window: int, public_only: bool, limit: int
) -> None:
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("the window is SQLite's")
    # A window of one result per wanted one leaves internal articles in the help center's
    # windows, so the full ranking must take over.
    monkeypatch.setattr(search_module, "SQLITE_WINDOW", window)
    add_demo_products(db)
    import_directory(db, DEMO_ARTICLES)
    scope = SearchScope(public_only=public_only)
    for item in EVAL_SET:
        terms = query_terms(db, item.query)
        params = {
            "match": " OR ".join(f'"{term}"' for term in terms),
            "public_only": public_only,
            "limit": limit,
        }
        expected = [(row[0], round(row[1], 6)) for row in db.execute(text(SQLITE_PLAIN), params)]
        found = [
            (hit.article_id, round(hit.score, 6))
            for hit in search(db, item.query, scope, limit=limit)
        ]
        assert found == expected, item.query
