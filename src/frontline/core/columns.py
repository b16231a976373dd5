"""Column shapes that several domains' tables share."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import Enum
from sqlalchemy.orm import Mapped, mapped_column

from frontline.core.clock import utcnow

E = TypeVar("E", bound=StrEnum)


def enum_column(enum: type[E]) -> Enum:
    """Enums stored as their string values, checked by a constraint on every backend."""
    return Enum(
        enum,
        native_enum=False,
        length=max(len(member.value) for member in enum),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
        create_constraint=True,
        name=enum.__name__.lower(),
    )


class Timestamped:
    """``created_at``/``updated_at`` kept by the database layer, never by callers."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Deactivatable:
    """Reference data is deactivated, never deleted: history keeps pointing at it."""

    active: Mapped[bool] = mapped_column(default=True, index=True)
