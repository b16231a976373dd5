"""Writing audit rows; callers commit them with the change they describe."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from frontline.audit.models import AuditEntry
from frontline.auth.models import User


def add_audit_entry(
    session: Session,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: object | None = None,
    *,
    purpose: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Stage an audit row in the caller's transaction, so both land or neither does."""
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        purpose=purpose,
        details=details or {},
    )
    session.add(entry)
    return entry
