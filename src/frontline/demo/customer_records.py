"""Demo customers: people and companies with Russian or Vietnamese names, phones and INNs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from random import Random

from stdnum.ru import inn

from frontline.customers.models import CustomerKind
from frontline.demo import catalog
from frontline.demo.names import Names, PersonName, latin, stream

# Customers are drawn in chunks, each from its own stream, so any subset can be generated
# without drawing every customer before it.
CUSTOMER_CHUNK = 1000
VIETNAMESE_CUSTOMER_SHARE = 0.006
_CITY_WEIGHTS = tuple(accumulate(city.weight for city in catalog.RUSSIAN_CITIES))


@dataclass(frozen=True)
class CustomerRecord:
    external_ref: str
    kind: CustomerKind
    name: str
    inn: str | None
    city: str
    language: str
    vulnerable: bool
    abusive: bool
    flag_note: str
    phones: tuple[str, ...]  # E.164
    emails: tuple[str, ...]  # lower-case


def customer_ref(number: int) -> str:
    return f"C{number:06d}"


def generate_customers(seed: int, numbers: Sequence[int]) -> Iterator[CustomerRecord]:
    """Customers with the given ascending ``numbers`` (C000001 is number 1)."""
    names = Names()
    wanted = set(numbers)
    chunks = sorted({(number - 1) // CUSTOMER_CHUNK for number in wanted})
    for chunk in chunks:
        rng = stream(seed, "customers", chunk)
        names.reseed(rng)
        first = chunk * CUSTOMER_CHUNK + 1
        last = max(number for number in range(first, first + CUSTOMER_CHUNK) if number in wanted)
        for number in range(first, last + 1):
            customer = _customer(number, rng, names)
            if number in wanted:
                yield customer


@dataclass(frozen=True)
class _Party:
    """Who a customer is, before phones and flags are added."""

    kind: CustomerKind
    name: str
    inn: str | None
    emails: tuple[str, ...]


def _customer(number: int, rng: Random, names: Names) -> CustomerRecord:
    if rng.random() < VIETNAMESE_CUSTOMER_SHARE:
        city, language = rng.choice(catalog.VIETNAMESE_CITIES), catalog.VIETNAMESE
        party = _vietnamese_party(number, rng, names)
        phones = _phones("+84", catalog.VIETNAMESE_MOBILE_CODES, rng)
    else:
        region = rng.choices(catalog.RUSSIAN_CITIES, cum_weights=_CITY_WEIGHTS)[0]
        city, language = region.name, catalog.RUSSIAN
        party = _russian_party(number, region.inn_region, rng, names)
        phones = _phones("+7", catalog.RUSSIAN_MOBILE_CODES, rng)
    vulnerable, abusive, note = _flags(rng)
    return CustomerRecord(
        external_ref=customer_ref(number),
        kind=party.kind,
        name=party.name,
        inn=party.inn,
        city=city,
        language=language,
        vulnerable=vulnerable,
        abusive=abusive,
        flag_note=note,
        phones=phones,
        emails=party.emails,
    )


def _russian_party(number: int, region: str, rng: Random, names: Names) -> _Party:
    """About 70 % people, 7.5 % sole traders, the rest companies."""
    roll = rng.random()
    if roll < 0.70:
        name = names.person(catalog.RUSSIAN, female=rng.random() < 0.5)
        # Some people file their own tax returns and give their INN.
        tax_id = personal_inn(region, rng) if rng.random() < 0.15 else None
        emails = _person_emails(name, number, rng, catalog.RUSSIAN_MAIL_DOMAINS)
        return _Party(CustomerKind.PERSON, name.full_name, tax_id, emails)
    if roll < 0.775:
        # A sole trader is a business to the support line but keeps a personal 12-digit INN.
        name = names.person(catalog.RUSSIAN, female=rng.random() < 0.4)
        emails = _person_emails(name, number, rng, catalog.RUSSIAN_MAIL_DOMAINS)
        return _Party(
            CustomerKind.COMPANY, f"ИП {name.full_name}", personal_inn(region, rng), emails
        )
    stem = rng.choice(catalog.COMPANY_STEMS) + rng.choice(catalog.COMPANY_SUFFIXES)
    form = "АО" if rng.random() < 0.07 else "ООО"
    emails = _company_emails(latin(stem), number, rng, "ru")
    return _Party(CustomerKind.COMPANY, f"{form} «{stem}»", company_inn(region, rng), emails)


def _vietnamese_party(number: int, rng: Random, names: Names) -> _Party:
    name = names.person(catalog.VIETNAMESE, female=rng.random() < 0.5)
    if rng.random() < 0.7:
        emails = _person_emails(name, number, rng, catalog.VIETNAMESE_MAIL_DOMAINS)
        return _Party(CustomerKind.PERSON, name.full_name, None, emails)
    # Small Vietnamese firms are named form, line of business, then the owner's given name.
    given = name.full_name.rsplit(" ", 1)[-1]
    business = rng.choice(catalog.VIETNAMESE_BUSINESS_LINES)
    label = f"{rng.choice(catalog.VIETNAMESE_COMPANY_FORMS)} {business} {given}"
    emails = _company_emails(latin(f"{business}{given}"), number, rng, "vn")
    return _Party(CustomerKind.COMPANY, label, None, emails)


def company_inn(region: str, rng: Random) -> str:
    """A 10-digit organisation INN: region, tax office, serial, check digit."""
    base = f"{region}{rng.randint(1, 99):02d}{rng.randrange(10**5):05d}"
    return base + inn.calc_company_check_digit(base)


def personal_inn(region: str, rng: Random) -> str:
    """A 12-digit personal INN: region, tax office, serial, two check digits."""
    base = f"{region}{rng.randint(1, 99):02d}{rng.randrange(10**6):06d}"
    return base + inn.calc_personal_check_digits(base)


def _phones(country_code: str, operator_codes: Sequence[str], rng: Random) -> tuple[str, ...]:
    count = 1 if rng.random() < 0.75 else 2
    return tuple(
        f"{country_code}{rng.choice(operator_codes)}{rng.randrange(10**7):07d}"
        for _ in range(count)
    )


def _email_count(rng: Random) -> int:
    roll = rng.random()
    return 0 if roll < 0.25 else 1 if roll < 0.8 else 2


def _person_emails(
    name: PersonName, number: int, rng: Random, domains: Sequence[str]
) -> tuple[str, ...]:
    # The customer number keeps addresses unique, so incoming mail matches one customer.
    candidates = (
        f"{name.given_latin}.{name.family_latin}{number}@{rng.choice(domains)}",
        f"{name.family_latin}.{name.given_latin[:1]}{number}@{rng.choice(domains)}",
    )
    return candidates[: _email_count(rng)]


def _company_emails(slug: str, number: int, rng: Random, tld: str) -> tuple[str, ...]:
    domain = f"{slug[:20]}-{number}.{tld}"
    return (f"info@{domain}", f"buh@{domain}")[: _email_count(rng)]


def _flags(rng: Random) -> tuple[bool, bool, str]:
    """(vulnerable, abusive, note): about 1 % vulnerable and 0.5 % abusive."""
    roll = rng.random()
    if roll < 0.01:
        return True, False, rng.choice(catalog.VULNERABLE_NOTES)
    if roll < 0.015:
        return False, True, rng.choice(catalog.ABUSIVE_NOTES)
    return False, False, ""
