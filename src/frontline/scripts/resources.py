"""Call scripts as a resource: the API routes and the admin pages come from here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from frontline.auth.access import can_manage_reference_data, can_read_reference_data
from frontline.core.errors import InvalidInput
from frontline.core.resources import Reference, Resource
from frontline.org.models import Queue
from frontline.scripts import schemas
from frontline.scripts.models import CallScript
from frontline.scripts.script import ScriptError, parse_script


def check_script(session: Session, values: Mapping[str, Any]) -> None:
    """A script belongs somewhere, and its text parses; the error names the step at fault."""
    if values.get("queue_id") is None and not values.get("campaign"):
        raise InvalidInput("Give the queue or the campaign the script is for", field="queue_id")
    try:
        parse_script(str(values.get("body") or ""))
    except ScriptError as exc:
        raise InvalidInput(exc.message, field="body") from exc


CALL_SCRIPTS = Resource(
    name="call-scripts",
    model=CallScript,
    read_schema=schemas.ScriptRead,
    create_schema=schemas.ScriptCreate,
    update_schema=schemas.ScriptUpdate,
    filter_schema=schemas.ScriptFilters,
    search_columns=(CallScript.name, CallScript.campaign),
    order_by=(CallScript.name, CallScript.id),
    unique=(("queue_id",), ("campaign",)),
    references={"queue_id": Reference(Queue, lambda row: row.name)},
    check_values=check_script,
    can_read=can_read_reference_data,
    can_write=can_manage_reference_data,
)
