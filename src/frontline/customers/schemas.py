"""API shapes of customers; phones normalise to E.164 and INNs are checked."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import phonenumbers
from pydantic import AfterValidator, BaseModel, Field, StringConstraints
from pydantic_core import PydanticCustomError
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ru import inn as ru_inn

from frontline.core.fields import Email, LanguageCode, LongText
from frontline.core.paging import PageParams
from frontline.core.resources import ListFilters
from frontline.core.schemas import Input, partial_model
from frontline.customers.models import CustomerKind

# Numbers written without a country code are read as Russian: the support line's home.
DEFAULT_PHONE_REGION = "RU"


def normalise_phone(value: str) -> str:
    """``8 (912) 345-67-89`` → ``+79123456789``; raises for anything not a real number."""
    try:
        number = phonenumbers.parse(value, DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException as exc:
        raise PydanticCustomError("phone", "Not a phone number: {value}", {"value": value}) from exc
    if not phonenumbers.is_valid_number(number):
        raise PydanticCustomError("phone", "Not a valid phone number: {value}", {"value": value})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_inn(value: str) -> str:
    try:
        return str(ru_inn.validate(value))
    except StdnumError as exc:
        raise PydanticCustomError(
            "inn", "Not a valid INN (10 digits for a company, 12 for a person)"
        ) from exc


Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=32),
    AfterValidator(normalise_phone),
]
Inn = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=20), AfterValidator(normalise_inn)
]


class CustomerCreate(Input):
    kind: CustomerKind = CustomerKind.PERSON
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    inn: Inn | None = None
    city: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""
    language: LanguageCode = "ru"
    phones: list[Phone] = Field(default_factory=list, max_length=10)
    emails: list[Email] = Field(default_factory=list, max_length=10)
    vulnerable: bool = False
    abusive: bool = False
    flag_note: LongText = ""


CustomerUpdate = partial_model(CustomerCreate, "CustomerUpdate")


def inn_digits(kind: CustomerKind) -> int:
    """A company's INN has 10 digits, a person's (or sole trader's) 12."""
    return 10 if kind is CustomerKind.COMPANY else 12


class CustomerRead(BaseModel):
    """A customer as one viewer may see it: ``masked`` tells whether details are hidden."""

    id: int
    external_ref: str | None
    kind: CustomerKind
    name: str
    inn: str | None
    city: str
    language: str
    phones: list[str]
    emails: list[str]
    vulnerable: bool
    abusive: bool
    flag_note: str
    active: bool
    masked: bool
    created_at: datetime
    updated_at: datetime


class CustomerFilters(ListFilters):
    kind: CustomerKind | None = None
    phone: Annotated[str, StringConstraints(max_length=32)] | None = None
    email: Annotated[str, StringConstraints(max_length=254)] | None = None
    purpose: Annotated[str, StringConstraints(max_length=200)] | None = Field(
        default=None, description="Why the customer data is being read; kept in the audit log"
    )


class CustomerListQuery(CustomerFilters, PageParams):
    """A customer search with its page."""


class Purpose(Input):
    purpose: Annotated[str, StringConstraints(max_length=200)] | None = None
