"""Standard solutions: the catalogue through its generated API, grants within and above
the agent's limit, a supervisor's decision, the record on the contact, and bad input.

Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from frontline.auth.models import Role
from frontline.remedies.schemas import MAX_REMEDY_AMOUNT
from tests.api import factories
from tests.api.conftest import CallerOf
from tests.contacts.conftest import Center
from tests.contacts.test_loop import arrive, go_ready, ok

VOUCHER: dict[str, Any] = {
    "problem": "Товар оказался бракованным",
    "name": "Обмен и ваучер на скидку",
    "max_amount": 5000,
    "agent_limit": 1500,
}


def _catalogue(center: Center, admin: TestClient, db: Session) -> dict[str, int]:
    product_id = center.queue.skill.product_id
    other = factories.product(db)
    db.commit()
    redelivery = {"problem": "Курьер опоздал", "name": "Бесплатная доставка в другое время"}
    return {
        name: ok(admin.post("/api/v1/remedies", json={**body, "product_id": pid}), 201)["id"]
        for name, body, pid in (
            ("voucher", VOUCHER, product_id),
            ("redelivery", redelivery, product_id),
            ("elsewhere", VOUCHER, other.id),
        )
    }


def _in_hand(center: Center) -> int:
    go_ready(center.agent_api)
    contact_id: int = arrive(center)["id"]
    assert ok(center.agent_api.post(f"/api/v1/contacts/{contact_id}/accept"))["applied"]
    return contact_id


def _grant(center: Center, contact_id: int, **body: Any) -> Any:
    return center.agent_api.post(f"/api/v1/contacts/{contact_id}/remedies", json=body)


def test_within_the_limit_the_agent_grants_above_it_a_supervisor_approves(
    db: Session, center: Center, caller_of: CallerOf
) -> None:
    remedies = _catalogue(center, caller_of(Role.ADMIN).client, db)
    contact_id = _in_hand(center)

    redelivery = ok(_grant(center, contact_id, remedy_id=remedies["redelivery"]), 201)
    assert redelivery["status"] == "granted"
    at_limit = ok(_grant(center, contact_id, remedy_id=remedies["voucher"], amount=1500), 201)
    assert at_limit["status"] == "granted"
    above = ok(
        _grant(center, contact_id, remedy_id=remedies["voucher"], amount=3000, note="второй раз"),
        201,
    )
    assert above["status"] == "pending"

    # The agent cannot decide on their own request; another agent may not decide at all.
    own = center.agent_api.post(f"/api/v1/remedy-grants/{above['id']}/approve", json={})
    assert (own.status_code, own.json()["error"]["field"]) == (409, "grant_id")
    other_agent = caller_of(Role.AGENT).client
    assert (
        other_agent.post(f"/api/v1/remedy-grants/{above['id']}/approve", json={}).status_code == 403
    )

    supervisor = center.supervisor
    pending = ok(supervisor.get("/api/v1/remedy-grants", params={"status": "pending"}))
    assert [grant["id"] for grant in pending] == [above["id"]]
    approved = ok(
        supervisor.post(f"/api/v1/remedy-grants/{above['id']}/approve", json={"reason": "ok"})
    )
    assert (approved["status"], approved["decision_reason"]) == ("granted", "ok")
    again = supervisor.post(f"/api/v1/remedy-grants/{above['id']}/decline", json={"reason": "x"})
    assert (again.status_code, again.json()["error"]["field"]) == (409, "grant_id")

    # On the contact: its grants, and each step in its history.
    grants = ok(center.agent_api.get(f"/api/v1/contacts/{contact_id}/remedies"))
    assert [(g["amount"], g["status"]) for g in grants] == [
        (0, "granted"),
        (1500, "granted"),
        (3000, "granted"),
    ]
    events = ok(supervisor.get(f"/api/v1/contacts/{contact_id}"))["events"]
    remedy_events = [(e["kind"], e["detail"]["amount"]) for e in events if "remedy" in e["kind"]]
    assert remedy_events == [
        ("remedy_granted", 0),
        ("remedy_granted", 1500),
        ("remedy_requested", 3000),
        ("remedy_approved", 3000),
    ]


def test_a_decline_says_why(db: Session, center: Center, caller_of: CallerOf) -> None:
    remedies = _catalogue(center, caller_of(Role.ADMIN).client, db)
    contact_id = _in_hand(center)
    asked = ok(_grant(center, contact_id, remedy_id=remedies["voucher"], amount=2000), 201)
    url = f"/api/v1/remedy-grants/{asked['id']}/decline"
    silent = center.supervisor.post(url, json={"reason": "  "})
    assert (silent.status_code, silent.json()["error"]["field"]) == (422, "reason")
    declined = ok(center.supervisor.post(url, json={"reason": "Ваучер уже выдан в этом месяце"}))
    assert declined["status"] == "declined"
    kinds = [
        e["kind"] for e in ok(center.supervisor.get(f"/api/v1/contacts/{contact_id}"))["events"]
    ]
    assert kinds[-1] == "remedy_declined"


def test_bad_input_names_the_field(db: Session, center: Center, caller_of: CallerOf) -> None:
    admin = caller_of(Role.ADMIN).client
    remedies = _catalogue(center, admin, db)
    contact_id = _in_hand(center)
    voucher = remedies["voucher"]
    for body, status, field in (
        ({"remedy_id": voucher, "amount": 5001}, 422, "amount"),  # above this remedy's maximum
        ({"remedy_id": voucher, "amount": MAX_REMEDY_AMOUNT + 1}, 422, "amount"),
        ({"remedy_id": voucher, "amount": -1}, 422, "amount"),
        ({"remedy_id": 999_999}, 422, "remedy_id"),
        ({"remedy_id": remedies["elsewhere"]}, 422, "remedy_id"),  # another product's
        ({"amount": 10}, 422, "remedy_id"),
    ):
        answer = _grant(center, contact_id, **body)
        assert answer.status_code == status, (body, answer.text)
        assert answer.json()["error"]["field"] == field, body
    assert ok(center.agent_api.get(f"/api/v1/contacts/{contact_id}/remedies")) == []

    # The catalogue: an agent's limit above the maximum, a duplicate.
    product_id = center.queue.skill.product_id
    entries: tuple[tuple[dict[str, Any], int, str], ...] = (
        ({**VOUCHER, "name": "Другое", "agent_limit": 6000}, 422, "agent_limit"),
        (VOUCHER, 409, "name"),
    )
    for entry, status, field in entries:
        answer = admin.post("/api/v1/remedies", json={**entry, "product_id": product_id})
        assert answer.status_code == status, answer.text
        assert answer.json()["error"]["field"] == field
    entry = {**VOUCHER, "name": "Ещё одно", "product_id": product_id}
    assert center.agent_api.post("/api/v1/remedies", json=entry).status_code == 403

    # Not in the agent's hands: a contact that is not theirs.
    stranger = caller_of(Role.AGENT).client
    answer = stranger.post(f"/api/v1/contacts/{contact_id}/remedies", json={"remedy_id": voucher})
    assert answer.status_code in {404, 409}
    assert answer.json()["error"]["field"] in {"contact_id", "agent_id"}
    missing = center.supervisor.post("/api/v1/remedy-grants/999999/approve", json={})
    assert (missing.status_code, missing.json()["error"]["field"]) == (404, "grant_id")
