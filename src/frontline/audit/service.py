"""Queries over the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from frontline.audit.models import AuditEntry


def audit_query(
    *,
    actor_id: int | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
) -> Select[Any]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if action:
        query = query.where(AuditEntry.action == action)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id:
        query = query.where(AuditEntry.object_id == object_id)
    return query
