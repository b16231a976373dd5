"""Accounts described once for the API and the admin pages."""

from __future__ import annotations

from typing import Any

from frontline.auth import schemas
from frontline.auth.access import can_manage_users
from frontline.auth.models import User
from frontline.core.resources import Resource
from frontline.core.security import hash_password


def user_columns(values: dict[str, Any]) -> dict[str, Any]:
    """The password becomes its argon2 hash; the clear text goes no further."""
    columns = dict(values)
    password = columns.pop("password", None)
    if password is not None:
        columns["password_hash"] = hash_password(password)
    return columns


USERS = Resource(
    name="users",
    model=User,
    read_schema=schemas.UserRead,
    create_schema=schemas.UserCreate,
    update_schema=schemas.UserUpdate,
    filter_schema=schemas.UserFilters,
    search_columns=(User.email, User.full_name),
    order_by=(User.email,),
    unique=(("email",),),
    can_read=can_manage_users,
    can_write=can_manage_users,
    to_columns=user_columns,
    secret_fields=frozenset({"password"}),
)
