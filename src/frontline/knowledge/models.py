"""Knowledge-base articles, their versions, categories, attachments and search terms.

The search index itself (``kb_fts``) is no model: on SQLite it is an FTS5 virtual table,
on PostgreSQL a table of weighted ``tsvector``s; the migration creates each, with
triggers that keep it in step with ``kb_articles``' ``search_*`` columns.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontline.core.columns import Timestamped, enum_column
from frontline.core.db import Base
from frontline.org.models import Product


class Visibility(StrEnum):
    INTERNAL = "internal"  # staff only
    PUBLIC = "public"  # also on the public help center once published


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class KbCategory(Base):
    __tablename__ = "kb_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class KbArticle(Timestamped, Base):
    __tablename__ = "kb_articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The natural key of import and export: the Markdown file's name.
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    language: Mapped[str] = mapped_column(String(8), index=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)  # Markdown as written; sanitised when rendered
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("kb_categories.id"), index=True)
    visibility: Mapped[Visibility] = mapped_column(enum_column(Visibility), index=True)
    status: Mapped[ArticleStatus] = mapped_column(enum_column(ArticleStatus), index=True)
    version: Mapped[int] = mapped_column(default=1)
    published_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    views: Mapped[int] = mapped_column(default=0)
    helpful: Mapped[int] = mapped_column(default=0)
    not_helpful: Mapped[int] = mapped_column(default=0)
    # Times an agent put its answer into a reply or notes from the workspace.
    uses: Mapped[int] = mapped_column(default=0, server_default="0")
    # Normalised search documents (``knowledge.text.search_document``), written with the text.
    search_title: Mapped[str] = mapped_column(Text, default="")
    search_tags: Mapped[str] = mapped_column(Text, default="")
    search_body: Mapped[str] = mapped_column(Text, default="")

    product: Mapped[Product] = relationship()
    category: Mapped[KbCategory | None] = relationship()
    versions: Mapped[list[KbArticleVersion]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        order_by="KbArticleVersion.number.desc()",
    )
    attachments: Mapped[list[KbAttachment]] = relationship(
        cascade="all, delete-orphan", order_by="KbAttachment.id"
    )


class KbArticleVersion(Base):
    """One saved state of an article: who changed it, when, and to what."""

    __tablename__ = "kb_article_versions"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    visibility: Mapped[Visibility] = mapped_column(enum_column(Visibility))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(String(300), default="")

    article: Mapped[KbArticle] = relationship(back_populates="versions")


class KbArticleLink(Base):
    """An article that links to another (``[text](/kb/ID)`` in its Markdown)."""

    __tablename__ = "kb_article_links"

    source_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id"), primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id"), primary_key=True)


class KbAttachment(Base):
    __tablename__ = "kb_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime]


class KbTerm(Base):
    """Every token the index holds: what typo tolerance corrects a query's words to."""

    __tablename__ = "kb_terms"

    term: Mapped[str] = mapped_column(String(100), primary_key=True)
