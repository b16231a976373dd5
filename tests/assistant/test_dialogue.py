"""The assistant's pure parts: intents and the nearest ATM to a named metro station."""

from __future__ import annotations

import pytest

from frontline.assistant.dialogue import Intent, intent_of, reference_in
from frontline.assistant.service_points import load_points, nearest_points


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Позовите оператора", Intent.HANDOFF),
        ("хочу поговорить с человеком", Intent.HANDOFF),
        ("Can I talk to a person?", Intent.HANDOFF),
        ("agent please", Intent.HANDOFF),
        ("ближайший банкомат у метро Курская", Intent.ATM),
        ("ATM near Kurskaya", Intent.ATM),
        ("где снять наличные", Intent.ATM),
        ("какой статус моей заявки?", Intent.REQUEST_STATUS),
        ("FL-1024", Intent.REQUEST_STATUS),
        ("status of request 77", Intent.REQUEST_STATUS),
        ("Как сдать декларацию по НДС?", Intent.QUESTION),
        ("How do I reset my password?", Intent.QUESTION),
    ],
)
def test_intents(text: str, intent: Intent) -> None:
    assert intent_of(text) is intent


def test_references_are_read_with_or_without_the_dash() -> None:
    assert reference_in("заявка FL-15") == 15
    assert reference_in("fl 16") == 16
    assert reference_in("номер 17") is None
    assert reference_in("номер 17", status_asked=True) == 17


def _nearest(text: str) -> list[tuple[str, str, str]]:
    return [(p.city_en, p.code, s.name) for p, s in nearest_points(load_points(), text)]


@pytest.mark.parametrize(
    "text",
    [
        "ближайший банкомат у метро Курская",
        "банкомат возле Курской",  # declension
        "Банкомат на курской?",
        "ATM near Kurskaya",
        "atm kurskaya metro station",
        "банкомат у Курскй",  # a typo
    ],
)
def test_kurskaya_is_found_without_asking_the_city(text: str) -> None:
    # Two ATMs are near Kurskaya (3 and 6 minutes): the nearer one is named.
    assert _nearest(text) == [("Moscow", "ATM-MSK-01", "Курская")]


def test_multi_word_stations_in_any_case() -> None:
    assert _nearest("банкомат у площади Восстания") == [
        ("St Petersburg", "ATM-SPB-21", "Площадь Восстания")
    ]
    assert _nearest("ATM near Ploshchad Vosstaniya") == [
        ("St Petersburg", "ATM-SPB-21", "Площадь Восстания")
    ]
    assert _nearest("банкомат на Невском проспекте") == [
        ("St Petersburg", "ATM-SPB-19", "Невский проспект")
    ]


def test_a_station_in_both_cities_gets_one_atm_in_each_unless_the_city_is_said() -> None:
    assert _nearest("банкомат у Маяковской") == [
        ("Moscow", "ATM-MSK-07", "Маяковская"),
        ("St Petersburg", "ATM-SPB-21", "Маяковская"),
    ]
    assert _nearest("банкомат у Спортивной в Питере") == [
        ("St Petersburg", "ATM-SPB-29", "Спортивная")
    ]


def test_no_station_no_answer() -> None:
    assert _nearest("банкомат") == []
    assert _nearest("как подать декларацию") == []


def test_the_demo_set_covers_both_cities() -> None:
    points = load_points()
    assert 20 <= len(points) <= 40
    assert {p.city_en for p in points} == {"Moscow", "St Petersburg"}
    assert all(p.metro and p.address for p in points)
