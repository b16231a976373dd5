"""Changes to customers, and the audit rows of who read their personal data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from frontline.audit.actions import add_audit_entry
from frontline.auth.access import can_edit_customers, can_read_customers, require
from frontline.auth.models import User
from frontline.core.errors import InvalidInput, NotFound
from frontline.customers.models import Customer, CustomerEmail, CustomerKind, CustomerPhone
from frontline.customers.schemas import CustomerCreate, inn_digits

DETAIL_LISTS = ("phones", "emails")


def get_customer(session: Session, user: User, customer_id: int) -> Customer:
    """The one door to a customer: unknown and not-allowed look alike."""
    customer = session.get(Customer, customer_id)
    if customer is None or not can_read_customers(user):
        raise NotFound(f"No customer with id {customer_id}", field="customer_id")
    return customer


def record_reads(
    session: Session, user: User, customers: Iterable[Customer], *, purpose: str | None, action: str
) -> None:
    """One audit row per customer whose personal data ``user`` is shown."""
    for customer in customers:
        add_audit_entry(session, user, action, "customers", customer.id, purpose=purpose)
    session.commit()


def _check_inn(kind: CustomerKind, inn: str | None) -> None:
    if inn is not None and len(inn) != inn_digits(kind):
        raise InvalidInput(f"A {kind.value}'s INN has {inn_digits(kind)} digits", field="inn")


def _set_details(customer: Customer, values: dict[str, Any]) -> None:
    if "phones" in values:
        customer.phones = [CustomerPhone(e164=p) for p in dict.fromkeys(values["phones"])]
    if "emails" in values:
        customer.emails = [CustomerEmail(address=e) for e in dict.fromkeys(values["emails"])]


def create_customer(session: Session, user: User, payload: CustomerCreate) -> Customer:
    require(can_edit_customers, user)
    values = payload.model_dump()
    _check_inn(payload.kind, payload.inn)
    customer = Customer(**{k: v for k, v in values.items() if k not in DETAIL_LISTS})
    _set_details(customer, values)
    session.add(customer)
    session.flush()
    add_audit_entry(session, user, "customers.create", "customers", customer.id)
    session.commit()
    return customer


def update_customer(session: Session, user: User, customer_id: int, payload: BaseModel) -> Customer:
    require(can_edit_customers, user)
    customer = get_customer(session, user, customer_id)
    changes = payload.model_dump(exclude_unset=True)
    _check_inn(changes.get("kind", customer.kind), changes.get("inn", customer.inn))
    for name, value in changes.items():
        if name not in DETAIL_LISTS:
            setattr(customer, name, value)
    _set_details(customer, changes)
    add_audit_entry(
        session,
        user,
        "customers.update",
        "customers",
        customer.id,
        details={"fields": sorted(changes)},
    )
    session.commit()
    return customer


def set_customer_active(
    session: Session, user: User, customer_id: int, *, active: bool
) -> Customer:
    require(can_edit_customers, user)
    customer = get_customer(session, user, customer_id)
    customer.active = active
    add_audit_entry(
        session,
        user,
        "customers.reactivate" if active else "customers.deactivate",
        "customers",
        customer.id,
    )
    session.commit()
    return customer
