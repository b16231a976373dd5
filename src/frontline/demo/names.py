"""Names for demo people: Russian and Vietnamese from Faker, and their Latin spelling."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from random import Random

from faker import Faker

from frontline.demo import catalog

_CYRILLIC = str.maketrans(dict(catalog.CYRILLIC_TO_LATIN))


@dataclass(frozen=True)
class PersonName:
    full_name: str
    given_latin: str  # lower-case ASCII, for e-mail addresses
    family_latin: str


def latin(text: str) -> str:
    """Lower-case ASCII letters and digits of a Russian or Vietnamese name."""
    plain = text.lower().replace("đ", "d").translate(_CYRILLIC)
    decomposed = unicodedata.normalize("NFKD", plain)
    return "".join(char for char in decomposed if char.isascii() and char.isalnum())


def stream(seed: int, kind: str, chunk: int) -> Random:
    # String seeds are hashed with SHA-512, so streams agree across processes and runs.
    return Random(f"{seed}/{kind}/{chunk}")  # noqa: S311 - demo data, not secrets


class Names:
    """Russian and Vietnamese names from Faker, reseeded from the caller's stream."""

    def __init__(self) -> None:
        self._russian = Faker("ru_RU")
        self._vietnamese = Faker("vi_VN")

    def reseed(self, rng: Random) -> None:
        self._russian.seed_instance(rng.getrandbits(64))
        self._vietnamese.seed_instance(rng.getrandbits(64))

    def person(self, locale: str, *, female: bool) -> PersonName:
        if locale == catalog.VIETNAMESE:
            return self._vietnamese_person(female=female)
        fake = self._russian
        if female:
            parts = (fake.last_name_female(), fake.first_name_female(), fake.middle_name_female())
        else:
            parts = (fake.last_name_male(), fake.first_name_male(), fake.middle_name_male())
        family, given, middle = (str(part) for part in parts)
        return PersonName(f"{family} {given} {middle}", latin(given), latin(family))

    def _vietnamese_person(self, *, female: bool) -> PersonName:
        fake = self._vietnamese
        family, middle = str(fake.last_name()), str(fake.middle_name())
        given = str(fake.first_name_female() if female else fake.first_name_male())
        # Faker's middle names mix the female "Thị" and the male "Văn"; keep them to the gender.
        if female and middle == "Văn":
            middle = "Thị"
        elif not female and middle == "Thị":
            middle = "Văn"
        # Vietnamese write the family name first and are addressed by the given name.
        return PersonName(f"{family} {middle} {given}", latin(given), latin(family))
