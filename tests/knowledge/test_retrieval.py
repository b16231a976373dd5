"""Retrieval quality on both backends: MRR@10 and recall@5 over the evaluation set.

The floors are the figures recorded in ``docs/knowledge-base.md`` (table "Retrieval
quality"); the suite fails if either backend drops below them. Staff search is used:
internal articles count, as they do for agents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from frontline.knowledge.files import import_directory
from frontline.knowledge.search import SearchScope, search
from frontline.knowledge.service import articles_by_id
from tests.knowledge.eval_set import EVAL_SET, Judged
from tests.knowledge.factories import add_demo_products

DEMO_ARTICLES = Path(__file__).resolve().parents[2] / "src/frontline/demo/kb"
DOCS = Path(__file__).resolve().parents[2] / "docs/knowledge-base.md"
FLOOR_ROW = re.compile(r"^\| (sqlite|postgresql) \| [\d.]+ \| [\d.]+ \| ([\d.]+) \| ([\d.]+) \|$")


@dataclass(frozen=True)
class Quality:
    mrr_at_10: float
    recall_at_5: float


def reciprocal_rank(ranked: list[str], relevant: frozenset[str], depth: int = 10) -> float:
    """1/rank of the first relevant result within ``depth``, else 0.

    >>> reciprocal_rank(["a", "b", "c"], frozenset({"b"}))
    0.5
    """
    for rank, slug in enumerate(ranked[:depth], start=1):
        if slug in relevant:
            return 1.0 / rank
    return 0.0


def recall(ranked: list[str], relevant: frozenset[str], depth: int = 5) -> float:
    """Share of the relevant articles found within ``depth``.

    >>> recall(["a", "b", "c"], frozenset({"a", "z"}))
    0.5
    """
    return len(relevant & set(ranked[:depth])) / len(relevant)


def evaluate(session: Session, judged: tuple[Judged, ...]) -> Quality:
    mrr = recall_sum = 0.0
    for item in judged:
        hits = search(session, item.query, SearchScope(), limit=10)
        by_id = articles_by_id(session, [hit.article_id for hit in hits])
        ranked = [by_id[hit.article_id].slug for hit in hits]
        mrr += reciprocal_rank(ranked, item.relevant)
        recall_sum += recall(ranked, item.relevant)
    return Quality(mrr / len(judged), recall_sum / len(judged))


def recorded_floors() -> dict[str, Quality]:
    floors = {}
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        found = FLOOR_ROW.match(line.strip())
        if found:
            floors[found.group(1)] = Quality(float(found.group(2)), float(found.group(3)))
    return floors


def test_the_set_is_large_and_covers_three_languages() -> None:
    languages = {item.language for item in EVAL_SET}
    kinds = {item.kind for item in EVAL_SET}
    assert len(EVAL_SET) >= 60
    assert languages == {"ru", "vi", "en"}
    assert {"inflection", "diacritics", "typo", "paraphrase"} <= kinds


def test_every_judged_article_exists() -> None:
    slugs = {path.stem for path in DEMO_ARTICLES.glob("*.md")}
    judged = set().union(*(item.relevant for item in EVAL_SET))
    assert judged <= slugs


@pytest.fixture
def corpus(db: Session) -> Session:
    add_demo_products(db)
    import_directory(db, DEMO_ARTICLES)
    return db


def test_search_quality_stays_above_the_recorded_floors(corpus: Session) -> None:
    backend = corpus.get_bind().dialect.name
    floor = recorded_floors()[backend]
    quality = evaluate(corpus, EVAL_SET)
    print(f"{backend}: MRR@10 {quality.mrr_at_10:.3f}, recall@5 {quality.recall_at_5:.3f}")  # noqa: T201
    assert quality.mrr_at_10 >= floor.mrr_at_10
    assert quality.recall_at_5 >= floor.recall_at_5
