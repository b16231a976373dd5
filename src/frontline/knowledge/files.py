"""A folder of Markdown files with YAML front matter, in and out of the knowledge base.

Each file is one article::

    ---
    title: Как продлить электронную подпись
    product: SIGN
    language: ru
    tags: [подпись, сертификат]
    visibility: public        # or internal
    status: published         # optional: draft, review, published (the default), archived
    category: Подпись         # optional
    ---
    Markdown text...

The file name (without ``.md``) is the article's slug: importing the same folder again
updates the articles it names (a new version where the text changed) and adds the rest.
Every file is checked before anything is written, so a bad file leaves the base as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from frontline.core.errors import InvalidInput
from frontline.knowledge import actions
from frontline.knowledge.models import ArticleStatus, KbArticle
from frontline.knowledge.schemas import ArticleCreate, ArticleEdit
from frontline.knowledge.service import product_by_code

FENCE = "---"
FRONT_MATTER_KEYS = frozenset(
    {"title", "product", "language", "tags", "visibility", "status", "category", "slug"}
)


@dataclass(frozen=True)
class ArticleFile:
    """One parsed file: the article it describes and the workflow state it asks for."""

    path: Path
    article: ArticleCreate
    status: ArticleStatus


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int


def split_front_matter(text: str, name: str) -> tuple[dict[str, Any], str]:
    """The YAML mapping at the head of ``text`` and the Markdown after it.

    >>> split_front_matter("---\\ntitle: A\\n---\\nBody\\n", "a.md")
    ({'title': 'A'}, 'Body\\n')
    """
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise InvalidInput(f"{name}: no front matter (the file must start with ---)", field=name)
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() == FENCE:
            head, body = "".join(lines[1:number]), "".join(lines[number + 1 :])
            break
    else:
        raise InvalidInput(f"{name}: front matter is not closed by ---", field=name)
    try:
        # The C loader when PyYAML has it: the pure-Python one costs ms a file on big imports.
        data = yaml.load(head, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        reason = str(exc).splitlines()[0]
        raise InvalidInput(f"{name}: malformed front matter: {reason}", field=name) from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{name}: front matter must be a mapping of keys", field=name)
    return data, body


def parse_article_file(session: Session, path: Path, text: str) -> ArticleFile:
    name = path.name
    data, body = split_front_matter(text, name)
    unknown = sorted(str(key) for key in data if key not in FRONT_MATTER_KEYS)
    if unknown:
        raise InvalidInput(f"{name}: unknown front matter key {unknown[0]}", field=unknown[0])
    code = data.get("product")
    if not isinstance(code, str) or not code.strip():
        raise InvalidInput(f"{name}: product: a product code is required", field="product")
    product = product_by_code(session, code)
    if product is None:
        raise InvalidInput(f"{name}: product: unknown product {code}", field="product")
    tags = data.get("tags") or []
    fields = {
        "slug": data.get("slug") or path.stem,
        "product_id": product.id,
        "language": data.get("language", "ru"),
        "title": data.get("title"),
        "body": body,
        "tags": tags if isinstance(tags, list) else [tags],
        "category": data.get("category"),
        "visibility": data.get("visibility", "internal"),
    }
    try:
        article = ArticleCreate.model_validate(fields)
        status = ArticleStatus(data.get("status", ArticleStatus.PUBLISHED.value))
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise InvalidInput(f"{name}: {field}: {first['msg']}", field=field) from None
    except ValueError:
        raise InvalidInput(f"{name}: status: unknown status", field="status") from None
    return ArticleFile(path=path, article=article, status=status)


def markdown_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise InvalidInput(f"{directory}: not a directory", field="directory")
    return sorted(directory.rglob("*.md"))


def import_files(session: Session, files: Iterable[ArticleFile]) -> ImportReport:
    """Add or update the articles; the caller commits (all files land or none)."""
    created = updated = unchanged = 0
    items = list(files)
    slugs = [item.article.slug for item in items]
    known = {
        article.slug: article
        for article in session.scalars(select(KbArticle).where(KbArticle.slug.in_(slugs)))
    }
    for item in items:
        payload = item.article
        existing = known.get(str(payload.slug))
        if existing is None:
            actions.add_article(session, None, payload, status=item.status)
            created += 1
            continue
        edit = ArticleEdit(
            title=payload.title,
            body=payload.body,
            tags=payload.tags,
            visibility=payload.visibility,
            note=f"imported from {item.path.name}",
        )
        changed = actions.apply_edit(session, None, existing, edit)
        moved = (existing.product_id, existing.language, existing.status) != (
            payload.product_id,
            payload.language,
            item.status,
        )
        existing.product_id, existing.language = payload.product_id, payload.language
        existing.status = item.status
        if changed or moved:
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return ImportReport(created=created, updated=updated, unchanged=unchanged)


def import_directory(session: Session, directory: Path) -> ImportReport:
    """Check every Markdown file under ``directory``, then import them in one transaction."""
    paths = markdown_files(directory)
    parsed = [parse_article_file(session, path, _read(path)) for path in paths]
    slugs: dict[str, Path] = {}
    for item in parsed:
        slug = str(item.article.slug)
        if slug in slugs:
            raise InvalidInput(
                f"{item.path.name}: slug {slug} is also used by {slugs[slug].name}", field="slug"
            )
        slugs[slug] = item.path
    report = import_files(session, parsed)
    session.commit()
    return report


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name}: not UTF-8 text", field=path.name) from None


def to_markdown_file(article: KbArticle) -> str:
    """An article as the file :func:`parse_article_file` reads back."""
    head: dict[str, Any] = {
        "title": article.title,
        "product": article.product.code,
        "language": article.language,
        "tags": list(article.tags),
        "visibility": article.visibility.value,
        "status": article.status.value,
    }
    if article.category is not None:
        head["category"] = article.category.name
    front = yaml.safe_dump(head, allow_unicode=True, sort_keys=False, default_flow_style=None)
    return f"{FENCE}\n{front}{FENCE}\n{article.body}"


def export_directory(session: Session, directory: Path) -> int:
    """Write every article to ``directory/<slug>.md``; returns how many."""
    directory.mkdir(parents=True, exist_ok=True)
    query = select(KbArticle).options(
        selectinload(KbArticle.product), selectinload(KbArticle.category)
    )
    count = 0
    for article in session.scalars(query.order_by(KbArticle.slug)):
        (directory / f"{article.slug}.md").write_text(to_markdown_file(article), encoding="utf-8")
        count += 1
    return count
