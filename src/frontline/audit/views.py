"""Audit log API, for administrators."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, StringConstraints

from frontline.audit import service
from frontline.auth.access import can_read_audit_log, require
from frontline.core.fields import Id
from frontline.core.paging import Page, PageParams, fetch_page
from frontline.web.dependencies import CurrentUser, DbSession

router = APIRouter(prefix="/audit", tags=["audit"])


class AuditRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_id: int | None
    action: str
    object_type: str
    object_id: str | None
    purpose: str | None
    details: dict[str, Any]


class AuditQuery(PageParams):
    actor_id: Id | None = None
    action: Annotated[str, StringConstraints(max_length=64)] | None = None
    object_type: Annotated[str, StringConstraints(max_length=64)] | None = None
    object_id: Annotated[str, StringConstraints(max_length=64)] | None = None


@router.get("", response_model=Page[AuditRead], summary="Read the audit log, newest first")
def list_audit(user: CurrentUser, session: DbSession, query: Annotated[AuditQuery, Query()]) -> Any:
    require(can_read_audit_log, user)
    statement = service.audit_query(
        actor_id=query.actor_id,
        action=query.action,
        object_type=query.object_type,
        object_id=query.object_id,
    )
    rows, total = fetch_page(session, statement, query)
    return {"items": rows, "total": total, "page": query.page, "per_page": query.per_page}
