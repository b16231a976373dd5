"""Customer API: every response that shows personal data is recorded in the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlalchemy.orm import Session

from frontline.auth.access import can_read_customers, require
from frontline.auth.models import User
from frontline.core.fields import Id
from frontline.core.paging import Page, fetch_page
from frontline.customers import actions, service
from frontline.customers.models import Customer
from frontline.customers.schemas import (
    CustomerCreate,
    CustomerListQuery,
    CustomerRead,
    CustomerUpdate,
    Purpose,
)
from frontline.web.dependencies import CurrentUser, DbSession

router = APIRouter(prefix="/customers", tags=["customers"])


def _shown(
    session: Session, user: User, customer: Customer, purpose: str | None, action: str
) -> CustomerRead:
    actions.record_reads(session, user, [customer], purpose=purpose, action=action)
    return service.as_seen_by(session, user, [customer])[0]


@router.get("", response_model=Page[CustomerRead], summary="Search customers")
def list_customers(
    user: CurrentUser, session: DbSession, query: Annotated[CustomerListQuery, Query()]
) -> Page[CustomerRead]:
    require(can_read_customers, user)
    rows, total = fetch_page(session, service.customer_query(query), query)
    actions.record_reads(session, user, rows, purpose=query.purpose, action="customers.list")
    items = service.as_seen_by(session, user, rows)
    return Page[CustomerRead](items=items, total=total, page=query.page, per_page=query.per_page)


@router.post("", response_model=CustomerRead, status_code=status.HTTP_201_CREATED)
def create_customer(user: CurrentUser, session: DbSession, payload: CustomerCreate) -> CustomerRead:
    customer = actions.create_customer(session, user, payload)
    return _shown(session, user, customer, "created", "customers.read")


@router.get("/{customer_id}", response_model=CustomerRead)
def read_customer(
    customer_id: Id, user: CurrentUser, session: DbSession, query: Annotated[Purpose, Query()]
) -> CustomerRead:
    customer = actions.get_customer(session, user, customer_id)
    return _shown(session, user, customer, query.purpose, "customers.read")


@router.patch("/{customer_id}", response_model=CustomerRead)
def update_customer(
    customer_id: Id,
    user: CurrentUser,
    session: DbSession,
    payload: CustomerUpdate,  # type: ignore[valid-type]
) -> CustomerRead:
    customer = actions.update_customer(session, user, customer_id, payload)
    return _shown(session, user, customer, "updated", "customers.read")


@router.post("/{customer_id}/deactivate", response_model=CustomerRead)
def deactivate_customer(customer_id: Id, user: CurrentUser, session: DbSession) -> CustomerRead:
    customer = actions.set_customer_active(session, user, customer_id, active=False)
    return _shown(session, user, customer, "deactivated", "customers.read")


@router.post("/{customer_id}/reactivate", response_model=CustomerRead)
def reactivate_customer(customer_id: Id, user: CurrentUser, session: DbSession) -> CustomerRead:
    customer = actions.set_customer_active(session, user, customer_id, active=True)
    return _shown(session, user, customer, "reactivated", "customers.read")
