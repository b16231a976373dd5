"""Knowledge-base search latency with 10,000 articles, and import speed, on both backends.

Run ``python bench/kb_search.py`` (``--json`` for machines). It writes 10,000 Markdown
articles made from the demo articles (their sentences reshuffled and mixed within each
language, so the vocabulary and the overlap are those of real articles), imports the
folder with ``import_directory`` (timed: the same path as ``frontline kb import``), then
runs every query of the retrieval evaluation set several times and reports p50/p95 of
one search (normalisation, typo correction and the ranked query). PostgreSQL is measured
in a throwaway database when ``--postgres-url`` (default: the local test server) answers.

``--backend postgresql --keep-database NAME`` measures PostgreSQL alone in database NAME,
made and imported on the first run and kept: later runs only search (no import figures),
which spares the import when tuning queries.
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

from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from frontline.core.db import create_db_engine, create_session_factory
from frontline.core.migrations import upgrade
from frontline.demo.catalog import PRODUCTS
from frontline.demo.seed import DEMO_ARTICLES_DIR
from frontline.knowledge.files import import_directory, split_front_matter
from frontline.knowledge.models import KbArticle
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
    import_seconds: float | None  # None: a kept database, imported by an earlier run
    import_articles_per_second: int | None
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


def _import(engine: Engine, session: Session, corpus: Path, backend: str) -> float:
    """Import the corpus into an empty database; the seconds it took."""
    session.add_all(Product(code=spec.code, name=spec.name) for spec in PRODUCTS)
    session.commit()
    started = time.perf_counter()
    import_directory(session, corpus)
    import_seconds = time.perf_counter() - started
    if backend == "postgresql":
        # Fresh statistics and visibility map, as autovacuum makes within a minute of a
        # bulk import: without statistics the planner walks every article instead of the
        # GIN index; without the map the scope test reads the articles, not the index.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    return import_seconds


def measure(url: str, backend: str, corpus: Path | None, articles: int) -> BackendFigures:
    """Import ``corpus`` (None: the database already holds it), then time the searches."""
    engine = create_db_engine(url)
    upgrade(engine)
    factory = create_session_factory(engine)
    with factory() as session:
        import_seconds = None if corpus is None else _import(engine, session, corpus, backend)
    # Searches run in a session of their own, as each request's does: the import's
    # session holds 10,000 articles, whose garbage collection would be timed otherwise.
    with factory() as session:
        if corpus is None:
            articles = session.scalar(select(func.count()).select_from(KbArticle)) or 0
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
        import_seconds=None if import_seconds is None else round(import_seconds, 1),
        import_articles_per_second=None
        if import_seconds is None
        else round(articles / import_seconds),
        searches=len(timings),
        p50_ms=round(statistics.median(timings), 2),
        p95_ms=round(cuts[94], 2),
        target_p95_ms=TARGET_P95_MS,
    )


def kept_database(admin_url: str, name: str) -> tuple[str, bool]:
    """The URL of database ``name`` (made if missing) and whether it already held articles."""
    admin = create_engine(make_url(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    if not exists:
        return url, False
    engine = create_db_engine(url)
    upgrade(engine)
    with engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(KbArticle)) or 0
    engine.dispose()
    return url, count > 0


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


def _print(figures: BackendFigures) -> None:
    f = figures
    print(
        f"kb search {f.backend}: p50 {f.p50_ms:.1f} ms, p95 {f.p95_ms:.1f} ms "
        f"over {f.searches} searches, {f.articles:,} articles "
        f"(target p95 <= {f.target_p95_ms:.0f} ms)"
    )
    if f.import_seconds is None:
        print(f"kb import {f.backend}: not measured (kept database, imported earlier)")
    else:
        print(
            f"kb import {f.backend}: {f.import_articles_per_second:,} articles/s "
            f"({f.articles:,} in {f.import_seconds:.1f} s)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--articles", type=int, default=ARTICLES, help="corpus size")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="server to use")
    parser.add_argument(
        "--backend",
        choices=("both", "sqlite", "postgresql"),
        default="both",
        help="what to measure",
    )
    parser.add_argument(
        "--keep-database",
        metavar="NAME",
        help="PostgreSQL database to import into once and keep; later runs only search",
    )
    arguments = parser.parse_args()
    results = []
    skipped = False
    with tempfile.TemporaryDirectory() as directory:
        corpus = Path(directory) / "articles"
        corpus.mkdir()
        write_corpus(corpus, arguments.articles)
        if arguments.backend in ("both", "sqlite"):
            sqlite_url = f"sqlite:///{Path(directory) / 'kb.db'}"
            results.append(measure(sqlite_url, "sqlite", corpus, arguments.articles))
        if arguments.backend in ("both", "postgresql") and arguments.keep_database:
            url, imported = kept_database(arguments.postgres_url, arguments.keep_database)
            kept_corpus = None if imported else corpus
            results.append(measure(url, "postgresql", kept_corpus, arguments.articles))
        elif arguments.backend in ("both", "postgresql"):
            with postgres_database(arguments.postgres_url) as postgres_url:
                if postgres_url is None:
                    skipped = True
                else:
                    results.append(measure(postgres_url, "postgresql", corpus, arguments.articles))
    if arguments.json:
        print(json.dumps([asdict(figures) for figures in results]))
    else:
        for figures in results:
            _print(figures)
        if skipped:
            print("kb search postgresql: skipped (no server at --postgres-url)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
