"""The public request form and its API: routed as a contact, spam-resistant, no sign-in."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.channels.models import WebRequest
from frontline.contacts.models import Contact, ContactStatus
from frontline.org.models import Channel
from tests.channels.conftest import Queues
from tests.web.conftest import csrf_of

API = "/api/v1/web-requests"


def _request(queues: Queues, **values: Any) -> dict[str, Any]:
    return {
        "name": "Ivan Petrov",
        "address": "Kazan, Baumana 1",
        "phone": "8 (912) 345-67-89",
        "email": "ivan@example.ru",
        "product_id": queues.product_id,
        "preferred_at": "2026-12-01T10:00:00+03:00",
        "comment": "Please call in the morning",
        **values,
    }


def test_a_request_becomes_a_routed_web_contact(
    client: TestClient, queues: Queues, db: Session
) -> None:
    answer = client.post(API, json=_request(queues))
    assert answer.status_code == 201
    contact = db.scalars(select(Contact)).one()
    assert answer.json() == {"reference": f"FL-{contact.id}"}
    assert (contact.channel, contact.queue_id, contact.status) == (
        Channel.WEB,
        queues.web.id,
        ContactStatus.WAITING,
    )
    stored = db.scalars(select(WebRequest)).one()
    assert (stored.contact_id, stored.phone, stored.comment) == (
        contact.id,
        "+79123456789",
        "Please call in the morning",
    )


def test_the_honeypot_is_answered_like_a_person_but_nothing_is_stored(
    client: TestClient, queues: Queues, db: Session
) -> None:
    answer = client.post(API, json=_request(queues, website="http://spam.example"))
    assert answer.status_code == 201
    assert db.scalars(select(Contact)).all() == []


def test_too_many_requests_from_one_address_are_refused(
    client: TestClient, queues: Queues, db: Session
) -> None:
    statuses = [client.post(API, json=_request(queues)).status_code for _ in range(6)]
    assert statuses == [201] * 5 + [429]  # FRONTLINE_WEB_REQUESTS_PER_HOUR is 5
    assert len(db.scalars(select(Contact)).all()) == 5


def test_bad_input_names_the_field(client: TestClient, queues: Queues) -> None:
    cases = {
        "phone": _request(queues, phone="12"),
        "email": _request(queues, phone=None, email=None),
        "product_id": _request(queues, product_id=999_999),
        "name": _request(queues, name=""),
    }
    for field, body in cases.items():
        answer = client.post(API, json=body)
        assert answer.status_code == 422, field
        assert answer.json()["error"]["field"] == field


def test_the_form_page_sends_a_request_and_confirms_with_the_reference(
    client: TestClient, queues: Queues, db: Session
) -> None:
    page = client.get("/request")
    assert page.status_code == 200
    assert 'name="website"' in page.text  # the honeypot
    form = {
        "csrf_token": csrf_of(page.text),
        "name": "Anna",
        "email": "anna@example.com",
        "product_id": str(queues.product_id),
        "comment": "An order",
    }
    sent = client.post("/request", data=form, follow_redirects=False)
    assert sent.status_code == 303
    contact = db.scalars(select(Contact)).one()
    confirmation = client.get(sent.headers["location"])
    assert f"FL-{contact.id}" in confirmation.text


def test_the_form_page_shows_errors_beside_their_fields(
    client: TestClient, queues: Queues, db: Session
) -> None:
    page = client.get("/request")
    form = {"csrf_token": csrf_of(page.text), "name": "Anna", "product_id": str(queues.product_id)}
    answer = client.post("/request", data=form)
    assert answer.status_code == 422
    assert 'id="r-email-error"' in answer.text
    assert db.scalars(select(Contact)).all() == []
    no_token = client.post("/request", data={**form, "csrf_token": "forged"})
    assert no_token.status_code == 403
