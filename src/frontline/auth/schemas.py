"""API shapes of accounts and tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from frontline.auth.models import Role
from frontline.core.fields import Email, LanguageCode, Name, TimeZoneName
from frontline.core.resources import ListFilters
from frontline.core.schemas import Input, partial_model
from frontline.core.security import MIN_PASSWORD_LENGTH

Password = Annotated[str, StringConstraints(min_length=MIN_PASSWORD_LENGTH, max_length=256)]


class UserCreate(Input):
    email: Email
    full_name: Name
    role: Role
    password: Password
    locale: LanguageCode | None = None
    time_zone: TimeZoneName | None = None


UserUpdate = partial_model(UserCreate, "UserUpdate")


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    full_name: str
    role: Role
    locale: str | None
    time_zone: str | None
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime


class UserFilters(ListFilters):
    role: Role | None = None


class TokenCreate(Input):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenRead):
    token: str = Field(description="Shown once; only its digest is stored")


class Credentials(Input):
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=254)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]
