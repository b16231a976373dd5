"""Ranked search over articles: one interface, SQLite FTS5 or PostgreSQL full-text search.

A query goes through the same normalisation as the articles (``text.search_tokens``);
query words the index has never seen are corrected to indexed terms within a small
edit distance (typo tolerance); the terms are OR-ed, and each backend ranks by its own
weighted relevance — title above tags above body:

- SQLite: ``bm25(kb_fts, 10, 4, 1)`` over the FTS5 table the migration created;
- PostgreSQL: ``ts_rank`` with weights A (title) 1.0, B (tags) 0.4, D (body) 0.1 over
  the ``tsvector`` table kept by a trigger. The candidates come from
  ``kb_fts_postings``, each lexeme's share of ``ts_rank`` in each article computed when
  the article is written, so a search sums index entries instead of ranking every
  matching document; only the leaders are ranked again by ``ts_rank`` itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from frontline.knowledge.models import ArticleStatus, KbTerm, Visibility
from frontline.knowledge.text import search_tokens

MAX_QUERY_TERMS = 12
CORRECTIONS_PER_TERM = 3
SQLITE_WEIGHTS = (10.0, 4.0, 1.0)  # title, tags, body
# Matches ranked per wanted result before the scope is tested (see _sqlite_search).
SQLITE_WINDOW = 8
# D (body), C, B (tags), A (title); migration a4c81d2e9f70 computes the postings' impacts
# with the same weights.
POSTGRESQL_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
# ts_rank normalisation 1: divide by 1 + log(length), like bm25's length penalty.
POSTGRESQL_NORMALISATION = 1
# Summed impacts and ts_rank (single precision) differ by a few parts in 10**7; every
# article within this fraction of the last leader's sum is ranked again, so no article
# ts_rank puts among the leaders is missed.
POSTGRESQL_CANDIDATE_MARGIN = 1e-5


@dataclass(frozen=True)
class SearchScope:
    """Which articles a search may return."""

    product_id: int | None = None
    language: str | None = None
    public_only: bool = False  # the help center: public and published
    statuses: tuple[ArticleStatus, ...] = (ArticleStatus.PUBLISHED,)


@dataclass(frozen=True)
class SearchHit:
    article_id: int
    title: str
    score: float  # higher is better; comparable within one search only


def max_typos(term: str) -> int:
    """Edits allowed to correct a term: none for short ones, where a typo is another word."""
    if len(term) <= 3:
        return 0
    return 1 if len(term) <= 6 else 2


def corrections(term: str, candidates: list[str]) -> list[str]:
    """The indexed terms nearest ``term`` within :func:`max_typos` edits.

    >>> corrections("декларцаи", ["декларац", "деклар", "налог"])
    ['декларац']
    """
    limit = max_typos(term)
    if limit == 0:
        return []
    found = process.extract(
        term, candidates, scorer=Levenshtein.distance, score_cutoff=limit, limit=None
    )
    found.sort(key=lambda match: (match[1], match[0]))
    return [match[0] for match in found[:CORRECTIONS_PER_TERM]]


def _candidates(session: Session, term: str) -> list[str]:
    """Indexed terms sharing the first letter and of a near length: typos rarely start a word."""
    spread = max_typos(term)
    first = term[0]
    query = select(KbTerm.term).where(
        KbTerm.term >= first,
        KbTerm.term < chr(ord(first) + 1),
        func.length(KbTerm.term).between(len(term) - spread, len(term) + spread),
    )
    return list(session.scalars(query))


def query_terms(session: Session, query: str) -> list[str]:
    """The query's tokens, each unknown one replaced by its nearest indexed terms."""
    tokens = list(dict.fromkeys(search_tokens(query)))[:MAX_QUERY_TERMS]
    if not tokens:
        return []
    known = set(session.scalars(select(KbTerm.term).where(KbTerm.term.in_(tokens))))
    terms: list[str] = []
    for token in tokens:
        if token in known:
            terms.append(token)
        else:
            terms.extend(corrections(token, _candidates(session, token)) or [token])
    return list(dict.fromkeys(terms))


def _scope_sql(scope: SearchScope, params: dict[str, Any], table: str = "a") -> str:
    """The scope as SQL over ``table``'s product_id, language, status and visibility."""
    clauses = []
    if scope.product_id is not None:
        clauses.append(f"{table}.product_id = :product_id")
        params["product_id"] = scope.product_id
    if scope.language is not None:
        clauses.append(f"{table}.language = :language")
        params["language"] = scope.language
    statuses = (ArticleStatus.PUBLISHED,) if scope.public_only else scope.statuses
    names = []
    for number, status in enumerate(statuses):
        names.append(f":status_{number}")
        params[f"status_{number}"] = status.value
    clauses.append(f"{table}.status IN ({', '.join(names)})")
    if scope.public_only:
        clauses.append(f"{table}.visibility = :public")
        params["public"] = Visibility.PUBLIC.value
    return " AND ".join(clauses)


def _sqlite_search(session: Session, terms: list[str], scope: SearchScope, limit: int) -> Any:
    # Terms are letters and digits only (text.WORD); quoting keeps FTS5 from reading any
    # of them as an operator (OR, NOT, NEAR).
    params: dict[str, Any] = {"match": " OR ".join(f'"{term}"' for term in terms), "limit": limit}
    rank = "bm25(kb_fts, {}, {}, {})".format(*SQLITE_WEIGHTS)
    # The best matches are ranked inside FTS5 first: testing the scope on every match
    # reads each article's row, body included, which cost more than the ranking itself.
    # Taken in the same order (score, id), the window's articles in scope are the
    # answer's first ones; when fewer than ``limit`` of them are in scope, every match is.
    sql = (
        f"WITH top AS (SELECT rowid AS id, {rank} AS rank FROM kb_fts "  # noqa: S608 - no user text
        "WHERE kb_fts MATCH :match ORDER BY rank, rowid LIMIT :window) "
        "SELECT a.id, a.title, -top.rank AS score FROM top JOIN kb_articles a ON a.id = top.id "
        f"WHERE {_scope_sql(scope, params)} ORDER BY top.rank, a.id LIMIT :limit"
    )
    # A product or language leaves a small share of the matches in scope: rank them all.
    narrow = scope.product_id is not None or scope.language is not None
    if not narrow:
        rows = session.execute(text(sql), {**params, "window": limit * SQLITE_WINDOW}).all()
        if len(rows) == limit:
            return rows
    return session.execute(text(sql), {**params, "window": -1}).all()  # -1: no limit


def _postgresql_search(session: Session, terms: list[str], scope: SearchScope, limit: int) -> Any:
    params: dict[str, Any] = {
        "terms": terms,
        "query": " | ".join(f"'{term}'" for term in terms),
        "weights": POSTGRESQL_WEIGHTS,
        "normalisation": POSTGRESQL_NORMALISATION,
        "last": limit - 1,
        "keep": 1 - POSTGRESQL_CANDIDATE_MARGIN,
        "limit": limit,
    }
    # Sums of impacts in scope (migration a4c81d2e9f70), then ts_rank for the articles
    # whose sum comes near the limit-th best: an ARRAY keeps that last step on the
    # primary keys, where a join would make the planner walk all of kb_fts.
    sql = (
        "WITH scored AS MATERIALIZED (SELECT p.article_id, sum(p.impact) AS total "  # noqa: S608
        "FROM kb_fts_postings p WHERE p.lexeme = ANY(CAST(:terms AS text[])) "
        f"AND {_scope_sql(scope, params, 'p')} GROUP BY p.article_id), "
        "cut AS (SELECT total FROM scored ORDER BY total DESC LIMIT 1 OFFSET :last) "
        "SELECT a.id, a.title, ts_rank(CAST(:weights AS real[]), f.document, "
        "to_tsquery('simple', :query), :normalisation) AS score "
        "FROM kb_fts f JOIN kb_articles a ON a.id = f.article_id "
        "WHERE f.article_id = ANY(ARRAY(SELECT article_id FROM scored "
        "WHERE total >= COALESCE((SELECT total FROM cut), 0) * :keep)) "
        "ORDER BY score DESC, a.id LIMIT :limit"
    )
    return session.execute(text(sql), params)


def search(session: Session, query: str, scope: SearchScope, *, limit: int = 10) -> list[SearchHit]:
    """The best ``limit`` articles in ``scope`` for ``query``, best first."""
    terms = query_terms(session, query)
    if not terms or limit < 1:
        return []
    backend = _sqlite_search if session.get_bind().dialect.name == "sqlite" else _postgresql_search
    rows = backend(session, terms, scope, limit)
    return [SearchHit(article_id=row[0], title=row[1], score=float(row[2])) for row in rows]


def add_terms(session: Session, terms: set[str]) -> None:
    """Record indexed terms for typo correction; terms already known are left alone."""
    if not terms:
        return
    dialect = session.get_bind().dialect.name
    insert = sqlite_insert if dialect == "sqlite" else postgresql_insert
    rows = [{"term": term[:100]} for term in sorted(terms)]
    session.execute(insert(KbTerm).on_conflict_do_nothing(index_elements=["term"]), rows)
