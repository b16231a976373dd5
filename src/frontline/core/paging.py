"""Paged lists: one request shape and one response shape for every list endpoint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from frontline.core.schemas import Input

T = TypeVar("T")

MAX_PER_PAGE = 200


class PageParams(Input):
    page: int = Field(default=1, ge=1, le=1_000_000)
    per_page: int = Field(default=50, ge=1, le=MAX_PER_PAGE)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def fetch_page(
    session: Session, query: Select[Any], params: PageParams
) -> tuple[Sequence[Any], int]:
    """Rows of one page of ``query`` and the total number of rows it matches."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.scalars(query.limit(params.per_page).offset(params.offset)).all()
    return rows, int(total or 0)
