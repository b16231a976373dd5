"""Remedy API: grant on a contact, list a contact's grants, decide pending ones.

The catalogue itself (``/remedies``) is generated from ``resources.REMEDIES``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from frontline.auth.access import can_supervise, require
from frontline.contacts.service import get_contact
from frontline.core.fields import Id
from frontline.remedies import actions, service
from frontline.remedies.models import GrantStatus
from frontline.remedies.schemas import GrantCreate, GrantDecision, GrantRead
from frontline.web.dependencies import CurrentUser, DbSession

router = APIRouter(tags=["remedies"])


@router.post(
    "/contacts/{contact_id}/remedies",
    response_model=GrantRead,
    status_code=status.HTTP_201_CREATED,
    summary="Grant a remedy; above the agent's limit it waits for a supervisor",
)
def grant_remedy(
    contact_id: Id, user: CurrentUser, session: DbSession, payload: GrantCreate
) -> GrantRead:
    return GrantRead.model_validate(actions.grant_remedy(session, user, contact_id, payload))


@router.get(
    "/contacts/{contact_id}/remedies",
    response_model=list[GrantRead],
    summary="The remedies granted or asked for on a contact",
)
def contact_grants(contact_id: Id, user: CurrentUser, session: DbSession) -> list[GrantRead]:
    get_contact(session, user, contact_id)
    return [GrantRead.model_validate(row) for row in service.grants_of(session, contact_id)]


@router.get("/remedy-grants", response_model=list[GrantRead], summary="Grants, e.g. those pending")
def list_grants(
    user: CurrentUser,
    session: DbSession,
    grant_status: Annotated[GrantStatus | None, Query(alias="status")] = None,
) -> list[GrantRead]:
    require(can_supervise, user)
    return [
        GrantRead.model_validate(row) for row in service.grants_by_status(session, grant_status)
    ]


@router.post("/remedy-grants/{row_id}/approve", response_model=GrantRead, summary="Approve a grant")
def approve_grant(
    row_id: Id, user: CurrentUser, session: DbSession, payload: GrantDecision
) -> GrantRead:
    return GrantRead.model_validate(
        actions.decide_grant(session, user, row_id, payload, approve=True)
    )


@router.post(
    "/remedy-grants/{row_id}/decline",
    response_model=GrantRead,
    summary="Decline a grant, saying why",
)
def decline_grant(
    row_id: Id, user: CurrentUser, session: DbSession, payload: GrantDecision
) -> GrantRead:
    return GrantRead.model_validate(
        actions.decide_grant(session, user, row_id, payload, approve=False)
    )
