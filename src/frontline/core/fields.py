"""Annotated field types shared by the API schemas; each validates and normalises."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated
from zoneinfo import available_timezones

from annotated_types import Ge, Le
from babel import Locale
from pydantic import AfterValidator, EmailStr, StringConstraints
from pydantic_core import PydanticCustomError


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


# CLDR two-letter territories that are no country: groupings, pseudo-locales, "unknown".
NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})


@lru_cache(maxsize=1)
def _territories() -> frozenset[str]:
    codes = (str(code) for code in Locale("en").territories)
    return frozenset(code for code in codes if len(code) == 2) - NOT_COUNTRIES


@lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    return frozenset(str(code) for code in Locale("en").languages if str(code).isalpha())


def _time_zone(value: str) -> str:
    if value not in _time_zones():
        raise PydanticCustomError(
            "time_zone", "Unknown time zone; use an IANA name such as Europe/Moscow"
        )
    return value


def _country(value: str) -> str:
    code = value.upper()
    if code not in _territories():
        raise PydanticCustomError(
            "country", "Unknown country; use a two-letter ISO code such as RU"
        )
    return code


def _language(value: str) -> str:
    code = value.lower()
    if code not in _languages():
        raise PydanticCustomError("language", "Unknown language; use an ISO 639 code such as ru")
    return code


def _lower(value: str) -> str:
    return value.lower()


# Row ids are PostgreSQL ``integer``s: a larger number names no row, and SQLite cannot
# even bind one (OverflowError), so ids are checked at the door like any other input.
MAX_ID = 2**31 - 1
Id = Annotated[int, Ge(1), Le(MAX_ID)]

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Code = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_upper=True,
        min_length=1,
        max_length=32,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
    ),
]
TimeZoneName = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=64), AfterValidator(_time_zone)
]
CountryCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=2),
    AfterValidator(_country),
]
LanguageCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=3),
    AfterValidator(_language),
]
Email = Annotated[EmailStr, StringConstraints(max_length=254), AfterValidator(_lower)]
