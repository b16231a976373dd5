"""HTML forms built from the API's schemas: one input per field, errors beside their field.

A page validates a form with the same pydantic schema the API uses, so a rule lives in
one place. What the browser sends is text; :func:`form_data` turns it into what the
schema expects (empty inputs, checkboxes, one phone per line) and the schema does the
rest. Errors come back keyed by field and already translated for the viewer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from functools import lru_cache
from types import SimpleNamespace, UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, EmailStr, create_model
from pydantic.fields import FieldInfo
from starlette.datastructures import FormData

from frontline.web.form_errors import FORM_ERROR
from frontline.web.labels import CHOICE_LABELS, FIELD_HINTS, field_label

# Longer texts get a text area rather than a one-line input.
TEXTAREA_FROM_LENGTH = 300

Widget = Literal[
    "text", "textarea", "email", "password", "number", "checkbox", "date", "select", "lines"
]
# What an empty input means: leave the field out (required, or keep the default),
# send None (optional reference or value), or send the empty string (optional text).
Blank = Literal["omit", "none", "empty"]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    translate: bool  # enum labels are message ids; a referenced row's label is data


@dataclass(frozen=True)
class FieldSpec:
    """One input of a form, derived from a schema field."""

    name: str
    widget: Widget
    required: bool
    blank: Blank
    max_length: int | None = None
    step: str | None = None
    choices: tuple[Choice, ...] = ()
    label_id: str | None = None  # a message id other than the field's usual label

    @property
    def label(self) -> str:
        return self.label_id or field_label(self.name)

    @property
    def hint(self) -> str | None:
        return FIELD_HINTS.get(self.name)


@dataclass
class FormState:
    """What a form shows: the values as typed (or as stored) and the errors by field."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def form_error(self) -> str | None:
        return self.errors.get(FORM_ERROR)

    def general_errors(self, specs: Iterable[FieldSpec]) -> list[str]:
        """Errors that no input of the form can show beside itself."""
        names = {spec.name for spec in specs}
        return [message for name, message in self.errors.items() if name not in names]


# --- specs from schemas -----------------------------------------------------------------


def _peel(annotation: Any) -> tuple[Any, list[Any]]:
    """Strip ``Optional[...]`` and ``Annotated[...]`` down to the base type and its metadata."""
    metadata: list[Any] = []
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = get_args(annotation)
            metadata.extend(extra)
        elif origin in (Union, UnionType):
            others = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(others) != 1:
                return annotation, metadata
            annotation = others[0]
        else:
            return annotation, metadata


def _max_length(metadata: Iterable[Any]) -> int | None:
    limits = [getattr(item, "max_length", None) for item in metadata]
    numbers = [limit for limit in limits if isinstance(limit, int)]
    return min(numbers) if numbers else None


# Inputs by the field's base type; anything else is text.
TYPED_WIDGETS: dict[Any, tuple[Widget, str | None]] = {
    bool: ("checkbox", None),
    date: ("date", None),
    int: ("number", "1"),
    float: ("number", "any"),
    EmailStr: ("email", None),
}


def _widget(base: Any, max_length: int | None) -> tuple[Widget, str | None]:
    if base in TYPED_WIDGETS:
        return TYPED_WIDGETS[base]
    if isinstance(base, type) and issubclass(base, Enum):
        return "select", None
    if max_length is not None and max_length > TEXTAREA_FROM_LENGTH:
        return "textarea", None
    return "text", None


def _blank(info: FieldInfo) -> Blank:
    if info.is_required():
        return "omit"
    if info.default is None:
        return "none"
    return "empty" if info.default == "" else "omit"


def field_spec(
    name: str,
    info: FieldInfo,
    *,
    secret: bool = False,
    optional: bool = False,
    references: Sequence[tuple[int, str]] | None = None,
) -> FieldSpec:
    base, metadata = _peel(info.annotation)
    required = info.is_required() and not optional
    blank = _blank(info)
    if get_origin(base) is list:
        return FieldSpec(name, "lines", required=False, blank="omit")
    max_length = _max_length([*info.metadata, *metadata])
    if secret:
        return FieldSpec(name, "password", required, blank, max_length)
    if references is not None:
        choices = tuple(Choice(str(key), label, translate=False) for key, label in references)
        return FieldSpec(name, "select", required, blank, choices=choices)
    widget, step = _widget(base, max_length)
    choices = ()
    if widget == "select":
        choices = tuple(
            Choice(member.value, CHOICE_LABELS.get(member.value, member.value), translate=True)
            for member in base
        )
    return FieldSpec(name, widget, required, blank, max_length, step, choices)


def field_specs(
    schema: type[BaseModel],
    *,
    references: Mapping[str, Sequence[tuple[int, str]]] | None = None,
    secret: frozenset[str] = frozenset(),
    optional: frozenset[str] = frozenset(),
    skip: frozenset[str] = frozenset(),
    labels: Mapping[str, str] | None = None,
) -> list[FieldSpec]:
    """An input for every field of ``schema`` but ``skip``, in the schema's order.

    ``references`` gives the choices of fields holding another row's id; ``optional``
    fields may be left empty although the schema requires them (a password on edit);
    ``labels`` overrides the usual label of a field (message ids).
    """
    refs, own_labels = references or {}, labels or {}
    return [
        replace(
            field_spec(
                name,
                info,
                secret=name in secret,
                optional=name in optional,
                references=refs.get(name),
            ),
            label_id=own_labels.get(name),
        )
        for name, info in schema.model_fields.items()
        if name not in skip
    ]


# --- values in and out ------------------------------------------------------------------


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def typed_values(specs: Iterable[FieldSpec], form: FormData) -> dict[str, str]:
    """The form as the user typed it, to show it again after an error."""
    return {
        spec.name: ("on" if spec.name in form else "")
        if spec.widget == "checkbox"
        else _text(form, spec.name)
        for spec in specs
        if spec.widget != "password"
    }


def stored_values(specs: Iterable[FieldSpec], row: object) -> dict[str, str]:
    """A stored row's values as the form's inputs show them."""
    values: dict[str, str] = {}
    for spec in specs:
        value = getattr(row, spec.name, None)
        if value is None or spec.widget == "password":
            values[spec.name] = ""
        elif isinstance(value, bool):
            values[spec.name] = "on" if value else ""
        elif isinstance(value, Enum):
            values[spec.name] = str(value.value)
        elif isinstance(value, date):
            values[spec.name] = value.isoformat()
        elif isinstance(value, list | tuple):
            values[spec.name] = "\n".join(str(item) for item in value)
        elif isinstance(value, float) and value.is_integer():
            values[spec.name] = str(int(value))  # 40 hours, not 40.0
        else:
            values[spec.name] = str(value)
    return values


def default_values(schema: type[BaseModel], specs: Iterable[FieldSpec]) -> dict[str, str]:
    """A new form starts from the schema's defaults (a queue's 20-second target...)."""
    defaults = {
        name: info.get_default(call_default_factory=True)
        for name, info in schema.model_fields.items()
        if not info.is_required()
    }
    return stored_values(specs, SimpleNamespace(**defaults))


def _number(text: str) -> str:
    # People in Russia write 0,9 and group thousands with (non-breaking) spaces.
    return text.replace(",", ".").replace("\u00a0", "").replace(" ", "")


def form_data(specs: Iterable[FieldSpec], form: FormData) -> dict[str, Any]:
    """What the browser sent, in the shape the schema validates."""
    data: dict[str, Any] = {}
    for spec in specs:
        if spec.widget == "checkbox":
            data[spec.name] = spec.name in form
            continue
        text = _text(form, spec.name)
        if spec.widget == "lines":
            data[spec.name] = [line.strip() for line in text.splitlines() if line.strip()]
        elif spec.widget == "password" and text:
            data[spec.name] = text  # spaces are part of a password
        elif not text.strip():
            if spec.blank == "none":
                data[spec.name] = None
            elif spec.blank == "empty":
                data[spec.name] = ""
        else:
            data[spec.name] = _number(text) if spec.widget == "number" else text.strip()
    return data


@lru_cache(maxsize=64)
def editing_schema(schema: type[BaseModel], optional: frozenset[str]) -> type[BaseModel]:
    """``schema`` with the ``optional`` fields allowed to stay empty (kept unchanged)."""
    if not optional:
        return schema
    overrides: dict[str, Any] = {
        name: (info.annotation, FieldInfo.merge_field_infos(info, default=None))
        for name, info in schema.model_fields.items()
        if name in optional
    }
    edited: type[BaseModel] = create_model(f"{schema.__name__}Edit", __base__=schema, **overrides)
    return edited


def validate_changes(
    create_schema: type[BaseModel],
    update_schema: type[BaseModel],
    specs: Sequence[FieldSpec],
    form: FormData,
    *,
    optional: frozenset[str] = frozenset(),
) -> BaseModel:
    """An edit form as an update payload: every shown field is checked as on creation
    (a cleared required field is an error, not "no change"), and every field the user
    filled in is set."""
    checked = editing_schema(create_schema, optional).model_validate(form_data(specs, form))
    return update_schema.model_validate(checked.model_dump(exclude_unset=True))
