"""Scripts through the API and in the workspace: refused when broken, greetings rotated."""

from __future__ import annotations

import itertools

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.auth.models import Role
from frontline.scripts.actions import script_for_contact
from frontline.scripts.models import ContactGreeting
from tests.api import factories
from tests.contacts.conftest import Center, caller_of, center
from tests.contacts.test_loop import arrive, go_ready, ok
from tests.scripts.test_script import GOOD
from tests.web.conftest import sign_in

__all__ = ["caller_of", "center"]
API = "/api/v1/call-scripts"
FIVE_GREETINGS = GOOD.replace(
    '  - "Компания на связи, {agent_name}. Чем помочь, {customer_name}?"\n',
    '  - "Компания на связи, {agent_name}. Чем помочь, {customer_name}?"\n'
    '  - "Рады слышать вас, {customer_name}! {agent_name} на линии."\n'
    '  - "Здравствуйте! Это {agent_name}. {customer_name}, чем помочь?"\n',
)


def _admin(db: Session, app: FastAPI) -> TestClient:
    with factories.one_commit(db):
        admin = factories.user(db, Role.ADMIN)
        _, secret = factories.token(db, admin)
    return TestClient(app, headers={"Authorization": f"Bearer {secret}"})


def test_an_admin_saves_a_script_and_a_broken_one_is_refused_naming_the_step(
    center: Center, db: Session, app: FastAPI
) -> None:
    admin = _admin(db, app)
    body = {"name": "Доставка", "queue_id": center.queue.id, "body": GOOD}
    saved = ok(admin.post(API, json=body), 201)
    assert saved["queue_id"] == center.queue.id

    looping = GOOD.replace("next: exchange", "next: ask").replace("next: redelivery", "next: ask")
    refused = admin.post(
        API, json={**body, "name": "Петля", "queue_id": None, "campaign": "Тариф", "body": looping}
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "body"
    assert "Step 'ask' loops" in refused.json()["error"]["message"]

    unknown = admin.patch(
        f"{API}/{saved['id']}", json={"body": GOOD.replace("next: exchange", "next: nowhere")}
    )
    assert unknown.status_code == 422
    assert "Step 'ask' leads to a missing step 'nowhere'" in unknown.json()["error"]["message"]

    nowhere = admin.post(API, json={"name": "Ничей", "body": GOOD})
    assert (nowhere.status_code, nowhere.json()["error"]["field"]) == (422, "queue_id")
    admin.close()


def test_a_returning_caller_gets_another_greeting_and_each_is_recorded(
    center: Center, db: Session, app: FastAPI
) -> None:
    admin = _admin(db, app)
    body = {"name": "Приветствия", "queue_id": center.queue.id, "body": FIVE_GREETINGS}
    ok(admin.post(API, json=body), 201)
    admin.close()
    with factories.one_commit(db):
        calls = [
            factories.contact(db, center.queue, customer_id=center.customer_id) for _ in range(6)
        ]
    shown = [script_for_contact(db, call, "Олег") for call in calls]
    variants = [s.variant for s in shown if s is not None]
    assert len(variants) == 6
    assert all(a != b for a, b in itertools.pairwise(variants))
    assert sorted(variants[:5]) == [0, 1, 2, 3, 4]
    # Shown again, a contact keeps its greeting.
    again = script_for_contact(db, calls[0], "Олег")
    assert again is not None and again.variant == variants[0]
    recorded = db.scalars(select(ContactGreeting).order_by(ContactGreeting.id)).all()
    assert [(g.contact_id, g.variant) for g in recorded] == [
        (call.id, variant) for call, variant in zip(calls, variants, strict=True)
    ]
    assert shown[0] is not None
    assert "Олег" in shown[0].greeting


def test_the_agent_sees_the_script_of_the_contact_in_hand(
    center: Center, db: Session, app: FastAPI
) -> None:
    admin = _admin(db, app)
    ok(admin.post(API, json={"name": "Доставка", "queue_id": center.queue.id, "body": GOOD}), 201)
    admin.close()
    go_ready(center.agent_api)
    contact = arrive(center)
    ok(center.agent_api.post(f"/api/v1/contacts/{contact['id']}/accept"))
    browser = sign_in(TestClient(app), center.agent_caller.user.email)
    page = browser.get("/workspace").text
    browser.close()
    assert "Скрипт: Доставка" in page
    assert "Что случилось с заказом" in page
    greeting = db.scalars(select(ContactGreeting)).one()
    assert greeting.contact_id == contact["id"]
    assert center.agent.full_name in page
