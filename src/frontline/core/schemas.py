"""Shape helpers: an update schema is its create schema with every field optional."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, create_model
from pydantic.fields import FieldInfo


def partial_model(model: type[BaseModel], name: str) -> type[BaseModel]:
    """``model`` with every field optional (unset by default), constraints kept.

    Update payloads (PATCH) send only what changes; deriving them keeps one definition
    of each field's rules.
    """
    fields: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        optional = FieldInfo.merge_field_infos(info, default=None, default_factory=None)
        # The type stays as it is: an explicit null for a required column is an error,
        # only leaving the field out means "no change".
        fields[field_name] = (info.annotation, optional)
    partial: type[BaseModel] = create_model(name, __base__=BaseModel, **fields)
    partial.__doc__ = f"Fields of {model.__name__} to change; absent fields stay as they are."
    return partial
