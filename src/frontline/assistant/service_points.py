"""Service points (the demo set: a bank's ATMs) and finding the nearest to a metro station.

Pure: the points are loaded from a JSON file; a message is matched to station names by
their search stems (``knowledge.text.stem``: "у Курской" and "Курская" meet) with
rapidfuzz's ratio for typos, in Russian or in Latin transliteration. No city is asked:
a station whose name exists in two cities gets the nearest point in each.

>>> points = load_points()
>>> [(p.city_en, p.code) for p, _ in nearest_points(points, "ближайший банкомат у метро Курской")]
[('Moscow', 'ATM-MSK-01')]
>>> [p.city_en for p, _ in nearest_points(points, "ATM near Mayakovskaya")]
['Moscow', 'St Petersburg']
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from frontline.knowledge.text import stem, words

DEMO_POINTS = Path(__file__).resolve().parent / "data" / "atms.json"
# Ratio of a message window to a station name (0-100) that counts as naming it.
MATCH_THRESHOLD = 85.0
CITY_STEMS = {
    "Moscow": ("москв", "moscow", "мск", "msk"),
    "St Petersburg": ("петербург", "питер", "спб", "petersburg", "spb", "peterburg"),
}


@dataclass(frozen=True)
class Station:
    name: str
    name_en: str
    walk_minutes: int


@dataclass(frozen=True)
class ServicePoint:
    code: str
    city: str
    city_en: str
    address: str
    hours: str
    metro: tuple[Station, ...]


@lru_cache(maxsize=4)
def load_points(path: Path = DEMO_POINTS) -> tuple[ServicePoint, ...]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        ServicePoint(
            code=row["code"],
            city=row["city"],
            city_en=row["city_en"],
            address=row["address"],
            hours=row["hours"],
            metro=tuple(
                Station(m["station"], m["station_en"], int(m["walk_minutes"])) for m in row["metro"]
            ),
        )
        for row in data["points"]
    )


def _key(text: str) -> list[str]:
    return [stem(word) for word in words(text)]


def station_score(message_stems: list[str], station: str) -> float:
    """How well some run of the message's words names ``station`` (0-100)."""
    wanted = _key(station)
    size = len(wanted)
    target = " ".join(wanted)
    best = 0.0
    for start in range(len(message_stems) - size + 1):
        window = " ".join(message_stems[start : start + size])
        best = max(best, fuzz.ratio(window, target))
    return best


def _cities(message_stems: list[str]) -> set[str]:
    return {
        city
        for city, stems in CITY_STEMS.items()
        if any(s.startswith(prefix) for s in message_stems for prefix in stems)
    }


def nearest_points(
    points: tuple[ServicePoint, ...], message: str
) -> list[tuple[ServicePoint, Station]]:
    """The nearest point to the station the message names, one per city; [] if none named."""
    message_stems = _key(message)
    if not message_stems:
        return []
    scored: dict[tuple[str, str], float] = {}
    for point in points:
        for station in point.metro:
            score = max(
                station_score(message_stems, station.name),
                station_score(message_stems, station.name_en),
            )
            if score >= MATCH_THRESHOLD:
                scored[(point.city_en, station.name)] = score
    if not scored:
        return []
    best = max(scored.values())
    named = {key for key, score in scored.items() if score == best}
    cities = _cities(message_stems)
    if cities and any(city in cities for city, _ in named):
        named = {key for key in named if key[0] in cities}
    found: dict[str, tuple[ServicePoint, Station]] = {}
    for point in points:
        for station in point.metro:
            if (point.city_en, station.name) not in named:
                continue
            current = found.get(point.city_en)
            if current is None or station.walk_minutes < current[1].walk_minutes:
                found[point.city_en] = (point, station)
    return [found[city] for city in sorted(found)]
