"""Queries about articles; nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from frontline.contacts.models import Contact
from frontline.knowledge.models import (
    ArticleStatus,
    KbArticle,
    KbArticleLink,
    KbArticleVersion,
    Visibility,
)
from frontline.org.models import Product


def article_list_query(
    *,
    product_id: int | None = None,
    language: str | None = None,
    status: ArticleStatus | None = None,
    public_only: bool = False,
) -> Select[Any]:
    query = select(KbArticle).options(selectinload(KbArticle.product))
    if product_id is not None:
        query = query.where(KbArticle.product_id == product_id)
    if language is not None:
        query = query.where(KbArticle.language == language)
    if public_only:
        query = query.where(
            KbArticle.visibility == Visibility.PUBLIC, KbArticle.status == ArticleStatus.PUBLISHED
        )
    elif status is not None:
        query = query.where(KbArticle.status == status)
    return query.order_by(KbArticle.updated_at.desc(), KbArticle.id.desc())


def articles_by_id(session: Session, ids: list[int]) -> dict[int, KbArticle]:
    query = select(KbArticle).where(KbArticle.id.in_(ids)).options(selectinload(KbArticle.product))
    return {article.id: article for article in session.scalars(query)}


def version(session: Session, article_id: int, number: int) -> KbArticleVersion | None:
    return session.scalar(
        select(KbArticleVersion).where(
            KbArticleVersion.article_id == article_id, KbArticleVersion.number == number
        )
    )


def links_of(session: Session, article_id: int) -> tuple[list[KbArticle], list[KbArticle]]:
    """Articles this one links to, and articles that link to it."""
    out = select(KbArticle).join(KbArticleLink, KbArticleLink.target_id == KbArticle.id)
    into = select(KbArticle).join(KbArticleLink, KbArticleLink.source_id == KbArticle.id)
    return (
        list(session.scalars(out.where(KbArticleLink.source_id == article_id))),
        list(session.scalars(into.where(KbArticleLink.target_id == article_id))),
    )


def product_by_code(session: Session, code: str) -> Product | None:
    return session.scalar(select(Product).where(Product.code == code.strip().upper()))


def help_products(session: Session) -> list[Product]:
    """Products with at least one public, published article: the help center's index."""
    public = select(KbArticle.product_id).where(
        KbArticle.visibility == Visibility.PUBLIC, KbArticle.status == ArticleStatus.PUBLISHED
    )
    return list(
        session.scalars(select(Product).where(Product.id.in_(public)).order_by(Product.name))
    )


@dataclass(frozen=True)
class ResolvingArticle:
    article_id: int
    title: str
    product_id: int
    product_name: str
    contacts: int  # contacts whose wrap-up names it as the solution
    uses: int  # answers put into replies from the workspace, all time


def top_resolving(
    session: Session,
    *,
    product_id: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = 20,
) -> list[ResolvingArticle]:
    """Articles that resolved the most contacts arriving in ``[start, end)``, most first."""
    solved = func.count(Contact.id).label("contacts")
    query = (
        select(KbArticle.id, KbArticle.title, Product.id, Product.name, solved, KbArticle.uses)
        .join(Contact, Contact.solved_by_article_id == KbArticle.id)
        .join(Product, Product.id == KbArticle.product_id)
        .group_by(KbArticle.id, KbArticle.title, Product.id, Product.name, KbArticle.uses)
        .order_by(solved.desc(), KbArticle.id)
        .limit(limit)
    )
    if product_id is not None:
        query = query.where(KbArticle.product_id == product_id)
    if start is not None:
        query = query.where(Contact.arrived_at >= start)
    if end is not None:
        query = query.where(Contact.arrived_at < end)
    return [ResolvingArticle(*row) for row in session.execute(query)]
