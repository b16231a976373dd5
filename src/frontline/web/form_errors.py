"""Form errors in the viewer's language, keyed by the field they belong to.

Pydantic's errors carry a type and a location; an action's :class:`FrontlineError`
names its field. Either way the page shows the message beside that field, or above
the form (:data:`FORM_ERROR`) when it names none the form has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy.orm import Session

from frontline.core.errors import Conflict, FrontlineError, InvalidInput
from frontline.web.i18n import N_, Viewer
from frontline.web.labels import ACTION_MESSAGES

T = TypeVar("T")

# Where errors that belong to no input of the form are kept; shown above the form.
FORM_ERROR = "__form__"

SIMPLE_MESSAGES = {
    "missing": N_("This field is required"),
    "int_parsing": N_("Enter a whole number"),
    "int_from_float": N_("Enter a whole number"),
    "int_type": N_("Enter a whole number"),
    "float_parsing": N_("Enter a number"),
    "float_type": N_("Enter a number"),
    "bool_parsing": N_("Choose yes or no"),
    "date_parsing": N_("Enter a date"),
    "date_from_datetime_parsing": N_("Enter a date"),
    "date_type": N_("Enter a date"),
    "enum": N_("Choose one of the options"),
    # Codes are the only fields with a pattern (core.fields.Code).
    "string_pattern_mismatch": N_("Use Latin letters, digits, “-” and “_” only"),
    "inn": N_("Not a valid INN (10 digits for a company, 12 for a person)"),
    "time_zone": N_("Unknown time zone; use a name such as Europe/Moscow"),
    "country": N_("Unknown country; use a two-letter code such as RU"),
    "language": N_("Unknown language; use a code such as ru"),
}
LIMIT_MESSAGES = {
    "greater_than": ("gt", N_("Must be greater than %(limit)s")),
    "greater_than_equal": ("ge", N_("Must be at least %(limit)s")),
    "less_than": ("lt", N_("Must be less than %(limit)s")),
    "less_than_equal": ("le", N_("Must be at most %(limit)s")),
}


def _length_message(kind: str, ctx: Mapping[str, Any], viewer: Viewer) -> str | None:
    if kind == "string_too_short":
        count = int(ctx.get("min_length", 1))
        if count <= 1:
            return viewer.gettext("This field is required")
        text = viewer.ngettext("At least %(num)d character", "At least %(num)d characters", count)
        return text % {"num": count}
    if kind == "string_too_long":
        count = int(ctx.get("max_length", 0))
        text = viewer.ngettext("At most %(num)d character", "At most %(num)d characters", count)
        return text % {"num": count}
    if kind == "too_long":
        count = int(ctx.get("max_length", 0))
        text = viewer.ngettext("At most %(num)d line", "At most %(num)d lines", count)
        return text % {"num": count}
    return None


def error_message(error: ErrorDetails, viewer: Viewer) -> str:
    """One pydantic error in the viewer's language; rare kinds keep pydantic's English."""
    kind = error["type"]
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if kind in SIMPLE_MESSAGES:
        return viewer.gettext(SIMPLE_MESSAGES[kind])
    length = _length_message(kind, ctx, viewer)
    if length is not None:
        return length
    if kind in LIMIT_MESSAGES:
        key, message = LIMIT_MESSAGES[kind]
        limit = ctx.get(key)
        shown = viewer.format_number(limit) if isinstance(limit, int | float) else str(limit)
        return viewer.gettext(message) % {"limit": shown}
    if kind == "phone":
        return viewer.gettext("Not a valid phone number: %(value)s") % {
            "value": ctx.get("value", "")
        }
    if kind == "value_error" and "email" in error["msg"]:
        return viewer.gettext("Not a valid e-mail address")
    return error["msg"]


def validation_errors(exc: ValidationError, viewer: Viewer) -> dict[str, str]:
    """The first error of each field; an error in a list names its line."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        location = error["loc"]
        name = str(location[0]) if location else FORM_ERROR
        message = error_message(error, viewer)
        if len(location) > 1 and isinstance(location[1], int):
            message = viewer.gettext("Line %(line)d: %(message)s") % {
                "line": location[1] + 1,
                "message": message,
            }
        errors.setdefault(name, message)
    return errors


def action_errors(
    exc: FrontlineError, viewer: Viewer, *, reference_fields: Iterable[str] = ()
) -> dict[str, str]:
    """An action's refusal beside the field it names (above the form if it names none)."""
    name = exc.field or FORM_ERROR
    if isinstance(exc, Conflict):
        return {name: viewer.gettext("Already taken")}
    # Actions speak English; the messages people meet are in the catalog (labels.py).
    if exc.message not in ACTION_MESSAGES and exc.field in set(reference_fields):
        # "No active team with id 5": the id means nothing to a person choosing from a list.
        return {name: viewer.gettext("Choose an active entry from the list")}
    return {name: viewer.gettext(exc.message)}


def attempt(
    save: Callable[[], T],
    session: Session,
    viewer: Viewer,
    *,
    reference_fields: Iterable[str] = (),
) -> tuple[T | None, dict[str, str]]:
    """Run a form's ``save``; a refusal comes back as field errors, its transaction undone."""
    try:
        return save(), {}
    except ValidationError as exc:
        return None, validation_errors(exc, viewer)
    except (InvalidInput, Conflict) as exc:
        session.rollback()
        return None, action_errors(exc, viewer, reference_fields=reference_fields)
