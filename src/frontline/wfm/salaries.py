"""Call-centre operator salaries by city and experience band, and agent levels' bands.

The table is the one study the project's source documents give: employers' offers and
candidates' expectations for the position "call-centre operator" in 12 Russian cities,
April 2012, by the research centre of a Russian recruitment portal (published in Russian;
the project's copy is a Vietnamese translation). Roubles a month for full-time work,
bonuses, extra benefits and compensation excluded. Each band's requirements include the
previous band's:

* I — no experience in the position;
* II — minimal experience (PC user, some phone or customer-service work);
* III — at least six months as a call-centre operator or telemarketer;
* IV — at least a year as an operator, telemarketer, sales or customer-service manager.

These are 2012 figures: use them for relative costs between cities and levels, or scale
them to today's market. ``docs/staffing.md`` reproduces the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from frontline.people.models import AgentLevel
from frontline.wfm.errors import QueueingArgumentError

__all__ = [
    "LEVEL_BANDS",
    "SALARY_TABLE",
    "CitySalaries",
    "SalaryBand",
    "SalaryRange",
    "salary_range",
]


class SalaryBand(StrEnum):
    NO_EXPERIENCE = "I"
    MINIMAL_EXPERIENCE = "II"
    EXPERIENCED = "III"
    SIGNIFICANT_EXPERIENCE = "IV"


@dataclass(frozen=True, slots=True)
class SalaryRange:
    """Monthly salary offered, roubles: the band's lower and upper figure."""

    low_rub: int
    high_rub: int

    @property
    def mid_rub(self) -> float:
        return (self.low_rub + self.high_rub) / 2


@dataclass(frozen=True, slots=True)
class CitySalaries:
    average_rub: int
    bands: dict[SalaryBand, SalaryRange]


def _city(average: int, *bands: tuple[int, int]) -> CitySalaries:
    return CitySalaries(
        average, {band: SalaryRange(*pair) for band, pair in zip(SalaryBand, bands, strict=True)}
    )


# The study's table, row by row: average, then bands I to IV (low - high), roubles/month.
SALARY_TABLE: dict[str, CitySalaries] = {
    "Moscow": _city(28_000, (16_000, 20_000), (20_000, 24_000), (24_000, 30_000), (30_000, 40_000)),
    "Saint Petersburg": _city(
        22_000, (12_000, 16_000), (16_000, 20_000), (20_000, 23_000), (23_000, 30_000)
    ),
    "Volgograd": _city(12_000, (7_000, 9_000), (9_000, 11_000), (11_000, 13_000), (13_000, 20_000)),
    "Yekaterinburg": _city(
        18_000, (10_000, 13_000), (13_000, 15_000), (15_000, 20_000), (20_000, 25_000)
    ),
    "Kazan": _city(13_000, (7_000, 8_000), (8_000, 10_000), (10_000, 15_000), (15_000, 20_000)),
    "Nizhny Novgorod": _city(
        13_000, (8_000, 9_000), (9_000, 11_000), (11_000, 14_000), (14_000, 20_000)
    ),
    "Novosibirsk": _city(
        16_000, (9_000, 11_000), (11_000, 13_000), (13_000, 17_000), (17_000, 20_000)
    ),
    "Omsk": _city(13_000, (8_000, 10_000), (10_000, 12_000), (12_000, 14_000), (14_000, 20_000)),
    "Rostov-on-Don": _city(
        14_000, (8_000, 10_000), (10_000, 12_000), (12_000, 15_000), (15_000, 20_000)
    ),
    "Samara": _city(14_000, (8_000, 10_000), (10_000, 13_000), (13_000, 16_000), (16_000, 20_000)),
    "Ufa": _city(13_000, (7_000, 8_000), (8_000, 11_000), (11_000, 14_000), (14_000, 20_000)),
    "Chelyabinsk": _city(
        16_000, (9_000, 11_000), (11_000, 13_000), (13_000, 18_000), (18_000, 20_000)
    ),
}

# An agent level's band. Band I (no experience) is a trainee's, before the first level:
# a consultant already takes calls on their own (minimal experience), a specialist has
# the study's six months (III), a leading specialist a year or more (IV).
LEVEL_BANDS: dict[AgentLevel, SalaryBand] = {
    AgentLevel.CONSULTANT: SalaryBand.MINIMAL_EXPERIENCE,
    AgentLevel.SPECIALIST: SalaryBand.EXPERIENCED,
    AgentLevel.LEADING_SPECIALIST: SalaryBand.SIGNIFICANT_EXPERIENCE,
}


def salary_range(city: str, level: AgentLevel | SalaryBand) -> SalaryRange:
    """The monthly salary range of an agent level (or a band) in one of the 12 cities.

    >>> salary_range("Kazan", AgentLevel.SPECIALIST)
    SalaryRange(low_rub=10000, high_rub=15000)
    """
    salaries = SALARY_TABLE.get(city)
    if salaries is None:
        known = ", ".join(SALARY_TABLE)
        raise QueueingArgumentError(
            "site", f"must be one of the study's cities ({known}), got {city!r}"
        )
    band = level if isinstance(level, SalaryBand) else LEVEL_BANDS[level]
    return salaries.bands[band]
