"""The remedy catalogue as a resource: its API routes and admin pages are generated."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from frontline.auth.access import can_manage_reference_data, can_read_reference_data
from frontline.core.errors import InvalidInput
from frontline.core.resources import Resource
from frontline.org.resources import PRODUCT_REFERENCE
from frontline.remedies import schemas
from frontline.remedies.models import Remedy


def _check_limits(_session: Session, values: Mapping[str, Any]) -> None:
    if (values.get("agent_limit") or 0) > (values.get("max_amount") or 0):
        raise InvalidInput("The agent's limit cannot exceed the maximum", field="agent_limit")


REMEDIES = Resource(
    name="remedies",
    model=Remedy,
    read_schema=schemas.RemedyRead,
    create_schema=schemas.RemedyCreate,
    update_schema=schemas.RemedyUpdate,
    filter_schema=schemas.RemedyFilters,
    search_columns=(Remedy.problem, Remedy.name),
    order_by=(Remedy.product_id, Remedy.problem, Remedy.name),
    unique=(("product_id", "problem", "name"),),
    references={"product_id": PRODUCT_REFERENCE},
    check_values=_check_limits,
    can_read=can_read_reference_data,
    can_write=can_manage_reference_data,
)
