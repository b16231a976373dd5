"""Knowledge-base search latency with 10,000 articles, and import speed, on both backends.

Run ``python bench/kb_search.py`` (``--json`` for machines). It writes 10,000 Markdown
articles made from the demo articles (their sentences reshuffled and mixed within each
language, so the vocabulary and the overlap are those of real articles), imports the
folder with ``import_directory`` (timed: the same path as ``frontline kb import``), then
runs every query of the retrieval evaluation set several times and reports p50/p95 of
one search (normalisation, typo correction and the ranked query). PostgreSQL is measured
in a throwaway database when ``--postgres-url`` (default: the local test server) answers.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from frontline.core.db import create_db_engine, create_session_factory
from frontline.core.migrations import upgrade
from frontline.demo.catalog import PRODUCTS
from frontline.demo.seed import DEMO_ARTICLES_DIR
from frontline.knowledge.files import import_directory, split_front_matter
from frontline.knowledge.search import SearchScope, search
from frontline.org.models import Product

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.knowledge.eval_set import EVAL_SET

ARTICLES = 10_000
ROUNDS = 5
TARGET_P95_MS = 20.0
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class BackendFigures:
    backend: str
    articles: int
    import_seconds: float
    import_articles_per_second: float
    searches: int
    p50_ms: float
    p95_ms: float
    target_p95_ms: float


def _sentences(body: str) -> list[str]:
    return [part.strip() for part in re.split(r"(?<=[.!?])\s+", body) if part.strip()]


def write_corpus(directory: Path, count: int, seed: int = 2026) -> None:
    """``count`` articles built from the demo articles' sentences, per language."""
    rng = random.Random(seed)
    sources = []
    for path in sorted(DEMO_ARTICLES_DIR.glob("*.md")):
        head, body = split_front_matter(path.read_text(encoding="utf-8"), path.name)
        sources.append((head, _sentences(body)))
    pool: dict[str, list[str]] = {}
    for head, sentences in sources:
        pool.setdefault(head["language"], []).extend(sentences)
    codes = [product.code for product in PRODUCTS]
    for number in range(count):
        head, sentences = rng.choice(sources)
        mixed = sentences + rng.sample(pool[head["language"]], 4)
        rng.shuffle(mixed)
        front = (
            f"---\ntitle: {json.dumps(head['title'] + f' ({number})', ensure_ascii=False)}\n"
            f"product: {rng.choice(codes)}\nlanguage: {head['language']}\n"
            f"tags: {json.dumps(head['tags'], ensure_ascii=False)}\n"
            f"visibility: {rng.choice(['public', 'internal'])}\n---\n"
        )
        (directory / f"a{number:05d}.md").write_text(front + " ".join(mixed), encoding="utf-8")


def measure(url: str, backend: str, corpus: Path, articles: int) -> BackendFigures:
    engine = create_db_engine(url)
    upgrade(engine)
    factory = create_session_factory(engine)
    with factory() as session:
        session.add_all(Product(code=spec.code, name=spec.name) for spec in PRODUCTS)
        session.commit()
        started = time.perf_counter()
        import_directory(session, corpus)
        import_seconds = time.perf_counter() - started
        if backend == "postgresql":
            # Fresh statistics, as autovacuum would gather within a minute of a bulk import;
            # without them the planner walks every article instead of the GIN index.
            session.execute(text("ANALYZE"))
            session.commit()
        timings = []
        for _ in range(ROUNDS):
            for item in EVAL_SET:
                begun = time.perf_counter()
                search(session, item.query, SearchScope(), limit=10)
                timings.append((time.perf_counter() - begun) * 1000)
    engine.dispose()
    cuts = statistics.quantiles(timings, n=100)
    return BackendFigures(
        backend=backend,
        articles=articles,
        import_seconds=round(import_seconds, 1),
        import_articles_per_second=round(articles / import_seconds),
        searches=len(timings),
        p50_ms=round(statistics.median(timings), 2),
        p95_ms=round(cuts[94], 2),
        target_p95_ms=TARGET_P95_MS,
    )


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str | None]:
    """A throwaway database's URL, or None when no server answers."""
    name = f"frontline_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(admin_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError:
        admin.dispose()
        yield None
        return
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--articles", type=int, default=ARTICLES, help="corpus size")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="server to use")
    arguments = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as directory:
        corpus = Path(directory) / "articles"
        corpus.mkdir()
        write_corpus(corpus, arguments.articles)
        sqlite_url = f"sqlite:///{Path(directory) / 'kb.db'}"
        results.append(measure(sqlite_url, "sqlite", corpus, arguments.articles))
        with postgres_database(arguments.postgres_url) as postgres_url:
            if postgres_url is not None:
                results.append(measure(postgres_url, "postgresql", corpus, arguments.articles))
    if arguments.json:
        print(json.dumps([asdict(figures) for figures in results]))
    else:
        for f in results:
            print(
                f"kb search {f.backend}: p50 {f.p50_ms:.1f} ms, p95 {f.p95_ms:.1f} ms "
                f"over {f.searches} searches, {f.articles:,} articles "
                f"(target p95 <= {f.target_p95_ms:.0f} ms)"
            )
            print(
                f"kb import {f.backend}: {f.import_articles_per_second:,} articles/s "
                f"({f.articles:,} in {f.import_seconds:.1f} s)"
            )
        if len(results) == 1:
            print("kb search postgresql: skipped (no server at --postgres-url)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
