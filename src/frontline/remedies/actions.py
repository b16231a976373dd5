"""Granting remedies on contacts, and supervisors' decisions on those above the limit.

A grant is an event on its contact (``remedy_granted``, ``remedy_requested``,
``remedy_approved``, ``remedy_declined``), so it shows in the contact's history and the
customer's timeline, and an audit row; each function commits once.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from frontline.audit.actions import add_audit_entry
from frontline.auth.access import can_supervise, require
from frontline.auth.models import User
from frontline.contacts.actions import open_in_hand
from frontline.contacts.models import ContactEvent
from frontline.core.clock import utcnow
from frontline.core.errors import Conflict, InvalidInput, NotFound
from frontline.remedies.models import GrantStatus, Remedy, RemedyGrant
from frontline.remedies.schemas import GrantCreate, GrantDecision


def _event(session: Session, grant: RemedyGrant, kind: str) -> None:
    detail = {
        "grant_id": grant.id,
        "remedy_id": grant.remedy_id,
        "remedy": grant.remedy.name,
        "amount": grant.amount,
    }
    session.add(ContactEvent(contact_id=grant.contact_id, at=utcnow(), kind=kind, detail=detail))


def grant_remedy(
    session: Session, user: User, contact_id: int, payload: GrantCreate
) -> RemedyGrant:
    """Grant a remedy on a contact in the user's hands.

    Up to the remedy's agent limit (or by a supervisor, up to the maximum) it is granted at
    once; above the agent limit it waits for a supervisor's approval.
    """
    contact = open_in_hand(session, user, contact_id)
    remedy = session.get(Remedy, payload.remedy_id)
    if remedy is None or not remedy.active:
        raise InvalidInput(f"No active remedy with id {payload.remedy_id}", field="remedy_id")
    if contact.product_id is not None and remedy.product_id != contact.product_id:
        raise InvalidInput("That remedy belongs to another product", field="remedy_id")
    if payload.amount > remedy.max_amount:
        raise InvalidInput(
            f"The amount is above this remedy's maximum of {remedy.max_amount}", field="amount"
        )
    within_limit = payload.amount <= remedy.agent_limit or can_supervise(user)
    grant = RemedyGrant(
        contact_id=contact.id,
        remedy_id=remedy.id,
        amount=payload.amount,
        note=payload.note,
        status=GrantStatus.GRANTED if within_limit else GrantStatus.PENDING,
        requested_by_id=user.id,
        requested_at=utcnow(),
    )
    session.add(grant)
    session.flush()
    _event(session, grant, "remedy_granted" if within_limit else "remedy_requested")
    add_audit_entry(
        session,
        user,
        f"remedy-grants.{grant.status.value}",
        "remedy-grants",
        grant.id,
        details={"contact_id": contact.id, "remedy_id": remedy.id, "amount": grant.amount},
    )
    session.commit()
    return grant


def decide_grant(
    session: Session, user: User, grant_id: int, payload: GrantDecision, *, approve: bool
) -> RemedyGrant:
    """A supervisor approves or declines a pending grant; a decline says why."""
    grant = session.get(RemedyGrant, grant_id)
    if grant is None:
        raise NotFound(f"No remedy grant with id {grant_id}", field="grant_id")
    # Checked before the role: whoever asked, a second person decides.
    if grant.requested_by_id == user.id:
        raise Conflict("You cannot approve or decline your own request", field="grant_id")
    require(can_supervise, user)
    if grant.status is not GrantStatus.PENDING:
        raise Conflict(f"Grant {grant_id} is already {grant.status.value}", field="grant_id")
    if not approve and not payload.reason:
        raise InvalidInput("Say why the remedy is declined", field="reason")
    grant.status = GrantStatus.GRANTED if approve else GrantStatus.DECLINED
    grant.decided_by_id, grant.decided_at = user.id, utcnow()
    grant.decision_reason = payload.reason
    _event(session, grant, "remedy_approved" if approve else "remedy_declined")
    add_audit_entry(
        session,
        user,
        f"remedy-grants.{'approve' if approve else 'decline'}",
        "remedy-grants",
        grant.id,
        details={"reason": payload.reason},
    )
    session.commit()
    return grant
