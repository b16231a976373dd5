"""Queries about customers; nothing here commits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from frontline.auth.access import sees_full_contact_details
from frontline.auth.models import User
from frontline.contacts import service as contacts_service
from frontline.customers.masking import mask_email, mask_phone
from frontline.customers.models import Customer, CustomerEmail, CustomerPhone
from frontline.customers.schemas import CustomerFilters, CustomerRead, normalise_phone
from frontline.people.service import agent_id_of


def customer_ids_in_hand(session: Session, user: User) -> frozenset[int]:
    """Customers of the contacts ``user`` is handling right now."""
    return contacts_service.customer_ids_in_hand(session, agent_id_of(session, user.id))


def masked_for(user: User, customer_id: int, in_hand: frozenset[int]) -> bool:
    """Whether ``user`` sees this customer's phones and e-mails masked."""
    return not (sees_full_contact_details(user) or customer_id in in_hand)


def customer_query(filters: CustomerFilters) -> Select[Any]:
    query = select(Customer).options(selectinload(Customer.phones), selectinload(Customer.emails))
    if filters.q and filters.q.strip():
        pattern = f"%{filters.q.strip()}%"
        query = query.where(
            or_(
                Customer.name.ilike(pattern),
                Customer.inn.ilike(pattern),
                Customer.external_ref.ilike(pattern),
            )
        )
    if filters.active is not None:
        query = query.where(Customer.active.is_(filters.active))
    if filters.kind is not None:
        query = query.where(Customer.kind == filters.kind)
    if filters.phone:
        query = query.where(Customer.phones.any(CustomerPhone.e164 == _phone_key(filters.phone)))
    if filters.email:
        email = filters.email.strip().lower()
        query = query.where(Customer.emails.any(CustomerEmail.address == email))
    return query.order_by(Customer.name, Customer.id)


def _phone_key(text: str) -> str:
    """The E.164 form to match on; text that is no phone number matches nothing."""
    try:
        return normalise_phone(text.strip())
    except ValueError:
        return text.strip()


def to_read(customer: Customer, *, masked: bool) -> CustomerRead:
    phones = [phone.e164 for phone in customer.phones]
    emails = [email.address for email in customer.emails]
    return CustomerRead(
        id=customer.id,
        external_ref=customer.external_ref,
        kind=customer.kind,
        name=customer.name,
        inn=customer.inn,
        city=customer.city,
        language=customer.language,
        phones=[mask_phone(p) for p in phones] if masked else phones,
        emails=[mask_email(e) for e in emails] if masked else emails,
        vulnerable=customer.vulnerable,
        abusive=customer.abusive,
        flag_note=customer.flag_note,
        active=customer.active,
        masked=masked,
        created_at=customer.created_at,
        updated_at=customer.updated_at,
    )


def as_seen_by(session: Session, user: User, customers: Sequence[Customer]) -> list[CustomerRead]:
    """``customers`` as ``user`` may see them: masked unless allowed in full."""
    in_hand = customer_ids_in_hand(session, user)
    return [
        to_read(customer, masked=masked_for(user, customer.id, in_hand)) for customer in customers
    ]
