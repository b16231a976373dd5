"""Shapes of knowledge-base articles: what an editor writes and what a search returns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from frontline.core.fields import Id, LanguageCode
from frontline.core.schemas import Input
from frontline.knowledge.models import Visibility

MAX_BODY_CHARS = 200_000
MAX_TAGS = 20
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


def _tags(values: list[str]) -> list[str]:
    """Lower-cased, stripped, without repeats, in the order given."""
    cleaned = [value.strip().lower() for value in values if value.strip()]
    for tag in cleaned:
        if len(tag) > 50:
            raise PydanticCustomError("tag", "A tag has at most 50 characters")
    return list(dict.fromkeys(cleaned))


Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Body = Annotated[str, StringConstraints(max_length=MAX_BODY_CHARS)]
Slug = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, min_length=1, max_length=120, pattern=SLUG_PATTERN
    ),
]
Tags = Annotated[list[str], Field(max_length=MAX_TAGS), AfterValidator(_tags)]


class ArticleCreate(Input):
    slug: Slug | None = Field(default=None, description="File name on export; made from the title")
    product_id: Id
    language: LanguageCode = "ru"
    title: Title
    body: Body = ""
    tags: Tags = Field(default_factory=list)
    category: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    visibility: Visibility = Visibility.INTERNAL


class ArticleEdit(Input):
    """A new version of an article's text; ``note`` says what changed."""

    title: Title
    body: Body = ""
    tags: Tags = Field(default_factory=list)
    visibility: Visibility = Visibility.INTERNAL
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""


class SearchParams(Input):
    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    product_id: Id | None = None
    language: LanguageCode | None = None
    limit: int = Field(default=10, ge=1, le=100)


class ResolvingParams(Input):
    product_id: Id | None = None
    start: AwareDatetime | None = Field(default=None, description="Contacts arriving from (UTC)")
    end: AwareDatetime | None = Field(default=None, description="Contacts arriving before (UTC)")
    limit: int = Field(default=20, ge=1, le=100)

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: datetime | None, info: ValidationInfo) -> datetime | None:
        start = info.data.get("start")
        if start is not None and end is not None and end <= start:
            raise PydanticCustomError("period", "end must come after start")
        return end
