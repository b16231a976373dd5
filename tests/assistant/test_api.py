"""The assistant API on SQLite and PostgreSQL: lookups, articles, verification, hand-off."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.auth.models import Role
from frontline.contacts.models import Contact, ContactEvent
from frontline.knowledge import actions as kb_actions
from frontline.knowledge.models import ArticleStatus, Visibility
from frontline.knowledge.schemas import ArticleCreate
from frontline.org.models import Channel
from tests.api.conftest import CallerOf
from tests.contacts.conftest import Center, caller_of, center
from tests.contacts.test_loop import ok

__all__ = ["caller_of", "center"]
API = "/api/v1/assistant/conversations"
GREETING_WORD = {"ru": "оператор", "en": "operator"}


def _start(client: TestClient, language: str = "ru") -> str:
    started = ok(client.post(API, json={"language": language}), 201)
    assert GREETING_WORD[language] in started["greeting"]
    conversation_id: str = started["id"]
    return conversation_id


def _say(client: TestClient, conversation_id: str, text: str) -> dict[str, Any]:
    answer: dict[str, Any] = ok(
        client.post(f"{API}/{conversation_id}/messages", json={"text": text})
    )
    return answer


def test_the_nearest_atm_is_named_without_asking_the_city(client: TestClient) -> None:
    conversation = _start(client)
    answer = _say(client, conversation, "ближайший банкомат у метро Курская")
    assert (answer["intent"], answer["resolved"]) == ("atm", True)
    assert [(p["code"], p["station"], p["walk_minutes"]) for p in answer["points"]] == [
        ("ATM-MSK-01", "Курская", 3)
    ]
    assert "ул. Земляной Вал, 33" in answer["text"]


def test_without_a_station_the_assistant_asks_for_one_then_answers(client: TestClient) -> None:
    conversation = _start(client, "en")
    asked = _say(client, conversation, "Where is an ATM?")
    assert (asked["text"], asked["resolved"]) == ("Which metro station are you near?", False)
    answer = _say(client, conversation, "Kurskaya")
    assert answer["points"][0]["station"] == "Kurskaya"
    assert answer["points"][0]["city"] == "Moscow"


def test_questions_are_answered_from_public_published_articles_only(
    client: TestClient, db: Session, center: Center
) -> None:
    product_id = center.queue.skill.product_id
    public = ArticleCreate(
        product_id=product_id,
        title="Как сдать декларацию по НДС",
        body="Отправьте декларацию через раздел «Отчётность» до 25 числа.",
        visibility=Visibility.PUBLIC,
    )
    internal = ArticleCreate(
        product_id=product_id,
        title="Декларация НДС: внутренние правила",
        body="Только для операторов.",
        visibility=Visibility.INTERNAL,
    )
    for payload in (public, internal):
        kb_actions.add_article(db, None, payload, status=ArticleStatus.PUBLISHED)
    db.commit()
    conversation = _start(client)
    answer = _say(client, conversation, "как подать декларации по ндс")
    assert answer["resolved"] is True
    assert [a["title"] for a in answer["articles"]] == ["Как сдать декларацию по НДС"]
    assert "до 25 числа" in answer["text"]
    nothing = _say(client, conversation, "абракадабра")
    assert (nothing["intent"], nothing["resolved"]) == ("question", False)


def _web_request(client: TestClient, center: Center, db: Session) -> str:
    """A request through the public form's API; ``center`` has no web queue, so add one."""
    from tests.api import factories  # noqa: PLC0415 - only this helper needs it

    with factories.one_commit(db):
        product = center.queue.skill.product
        web = factories.skill(db, product, channel=Channel.WEB)
        factories.queue(db, web)
    body = {
        "name": "Анна",
        "phone": "8 (912) 345-67-89",
        "email": "anna@example.ru",
        "product_id": product.id,
    }
    reference: str = ok(client.post("/api/v1/web-requests", json=body), 201)["reference"]
    return reference


def test_the_status_of_a_request_after_verification(
    client: TestClient, center: Center, db: Session
) -> None:
    reference = _web_request(client, center, db)
    conversation = _start(client)
    asked = _say(client, conversation, f"Какой статус заявки {reference}?")
    assert asked["intent"] == "request_status"
    assert reference in asked["text"]
    wrong = _say(client, conversation, "+7 999 000-00-00")
    assert "Осталось попыток: 2" in wrong["text"]
    right = _say(client, conversation, "ANNA@example.ru")
    assert right["resolved"] is True
    assert right["text"] == f"Заявка {reference} получена и ждёт оператора."
    # The phone in another spelling works too.
    _say(client, conversation, reference)
    by_phone = _say(client, conversation, "89123456789")
    assert by_phone["resolved"] is True


def test_three_wrong_answers_lock_the_request_even_in_a_new_conversation(
    client: TestClient, center: Center, db: Session
) -> None:
    reference = _web_request(client, center, db)
    first = _start(client)
    _say(client, first, f"статус {reference}")
    _say(client, first, "a@b.c")
    _say(client, first, "+79990000000")
    refused = _say(client, first, "x@y.z")
    assert "Слишком много неверных ответов" in refused["text"]
    second = _start(client)
    _say(client, second, reference)
    still = _say(client, second, "anna@example.ru")  # right, but too late
    assert still["resolved"] is False
    assert "Слишком много неверных ответов" in still["text"]


def test_an_unknown_reference_is_asked_about_like_a_known_one(client: TestClient) -> None:
    conversation = _start(client)
    asked = _say(client, conversation, "статус заявки FL-999999")
    assert asked["text"] == "Назовите телефон или e-mail, с которым отправлена заявка FL-999999."
    answer = _say(client, conversation, "anna@example.ru")
    assert answer["resolved"] is False


def test_asking_for_a_person_creates_a_chat_contact_with_the_transcript(
    client: TestClient, center: Center, db: Session
) -> None:
    conversation = _start(client)
    _say(client, conversation, "банкомат у Курской")
    handed = _say(client, conversation, "Соедините с оператором")
    assert handed["intent"] == "handoff"
    contact = db.scalars(select(Contact)).one()
    assert handed["handed_off"] == f"FL-{contact.id}"
    assert (contact.channel, contact.queue_id) == (Channel.CHAT, center.chat_queue.id)
    event = db.scalars(
        select(ContactEvent).where(ContactEvent.kind == "assistant_transcript")
    ).one()
    turns = event.detail["turns"]
    assert [t["customer"] for t in turns] == ["банкомат у Курской", "Соедините с оператором"]
    assert "Земляной Вал" in turns[0]["assistant"]
    again = _say(client, conversation, "алло?")
    assert again["handed_off"] == f"FL-{contact.id}"
    assert len(db.scalars(select(Contact)).all()) == 1
    read = ok(client.get(f"{API}/{conversation}"))
    assert [t["intent"] for t in read["turns"]] == ["atm", "handoff", "handoff"]


def test_bad_input_is_refused_naming_the_field(client: TestClient) -> None:
    conversation = _start(client)
    empty = client.post(f"{API}/{conversation}/messages", json={"text": "   "})
    assert (empty.status_code, empty.json()["error"]["field"]) == (422, "text")
    missing = client.post(f"{API}/{conversation}/messages", json={})
    assert (missing.status_code, missing.json()["error"]["field"]) == (422, "text")
    unknown = client.post(f"{API}/nope/messages", json={"text": "привет"})
    assert (unknown.status_code, unknown.json()["error"]["field"]) == (404, "conversation_id")
    assert client.get(f"{API}/nope").status_code == 404
    language = client.post(API, json={"language": "xx"})
    assert (language.status_code, language.json()["error"]["field"]) == (422, "language")


def test_the_report_counts_intents_resolutions_and_hand_offs(
    client: TestClient, center: Center, caller_of: CallerOf
) -> None:
    conversation = _start(client)
    _say(client, conversation, "банкомат у Курской")
    _say(client, conversation, "банкомат")
    _say(client, conversation, "оператор")
    supervisor = caller_of(Role.SUPERVISOR).client
    rows = ok(supervisor.get("/api/v1/assistant/report?days=1"))
    by_intent = {row["intent"]: row for row in rows}
    assert (by_intent["atm"]["turns"], by_intent["atm"]["resolved"]) == (2, 1)
    assert by_intent["atm"]["handed_off_after"] == 1
    assert by_intent["handoff"]["turns"] == 1
    assert center.agent_api.get("/api/v1/assistant/report").status_code == 403
    assert client.get("/api/v1/assistant/report").status_code == 401


def test_another_question_during_verification_is_answered_and_is_no_try(
    client: TestClient, center: Center, db: Session
) -> None:
    reference = _web_request(client, center, db)
    conversation = _start(client)
    _say(client, conversation, f"статус {reference}")
    atm = _say(client, conversation, "банкомат у Курской")
    assert atm["intent"] == "atm"
    _say(client, conversation, reference)
    wrong = _say(client, conversation, "nobody@example.ru")
    assert "Осталось попыток: 2" in wrong["text"]
