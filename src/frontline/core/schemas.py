"""Shape helpers: the base of every input shape, and update shapes derived from create shapes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, create_model, field_validator
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError


def storable_text(value: Any) -> Any:
    """Refuse text no database column can hold, in ``value`` or the lists inside it.

    PostgreSQL rejects NUL characters and neither backend (nor a JSON answer) can encode
    a lone surrogate: caught here they are a 422 naming the field, not a 500.
    """
    if isinstance(value, str):
        if "\x00" in value:
            raise PydanticCustomError("text", "Text cannot contain NUL characters")
        if not value.isascii():
            try:
                value.encode()
            except UnicodeEncodeError:
                raise PydanticCustomError("text", "Text must be valid Unicode") from None
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            storable_text(item)
    return value


class Input(BaseModel):
    """Base of every shape read from a request (bodies and queries)."""

    @field_validator("*")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return storable_text(value)


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
    partial: type[BaseModel] = create_model(name, __base__=Input, **fields)
    partial.__doc__ = f"Fields of {model.__name__} to change; absent fields stay as they are."
    return partial
