"""Voice through the CTI event API: signatures, idempotency, out-of-order events, bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from frontline.cti.actions import INTEGRATION_HEADER, SIGNATURE_HEADER, signature
from frontline.cti.models import CtiIntegration, DialPlanEntry
from tests.contacts.conftest import Center
from tests.contacts.test_loop import go_ready, ok

SECRET = "a shared key of the test PBX"
EVENTS = "/api/v1/cti/events"


@pytest.fixture
def pbx(db: Session, center: Center, client: TestClient) -> TestClient:
    db.add(CtiIntegration(code="pbx", name="Test PBX", secret=SECRET))
    db.add(DialPlanEntry(dialled="+74951234567", ivr_choice="1", queue_id=center.queue.id))
    db.commit()
    return client


def post(client: TestClient, event: dict[str, Any], *, key: str = SECRET) -> Any:
    body = json.dumps(event).encode()
    headers = {
        INTEGRATION_HEADER: "pbx",
        SIGNATURE_HEADER: signature(key, body),
        "Content-Type": "application/json",
    }
    return client.post(EVENTS, content=body, headers=headers)


def offered(call: str, event: str | None = None) -> dict[str, Any]:
    return {
        "event_id": event or f"{call}-offered",
        "call_id": call,
        "type": "offered",
        "caller": "+79123456789",
        "dialled": "+74951234567",
        "ivr_choice": "1",
    }


def test_a_call_reported_by_the_pbx_rings_the_ready_agent_and_reaches_the_timeline(
    pbx: TestClient, center: Center
) -> None:
    go_ready(center.agent_api)
    answer = ok(post(pbx, offered("c1")))
    assert answer["action"] == "ring"
    assert answer["extension"] == "1001"
    assert answer["agent_id"] == center.agent.id
    contact_id = answer["contact_id"]
    for kind in ("answered", "ended"):
        ok(post(pbx, {"event_id": f"c1-{kind}", "call_id": "c1", "type": kind}))
    body = {"reason_id": center.reason.id, "outcome": "resolved"}
    ok(center.agent_api.post(f"/api/v1/contacts/{contact_id}/wrap-up", json=body))
    timeline = ok(center.supervisor.get(f"/api/v1/customers/{center.customer_id}/contacts"))
    assert [(c["id"], c["status"], c["channel"]) for c in timeline] == [
        (contact_id, "done", "voice")
    ]


def test_a_call_with_nobody_ready_is_queued(pbx: TestClient, center: Center) -> None:
    answer = ok(post(pbx, offered("c2")))
    assert (answer["action"], answer["status"]) == ("queue", "waiting")


def test_a_repeated_event_changes_nothing_and_gets_the_same_answer(
    pbx: TestClient, center: Center
) -> None:
    go_ready(center.agent_api)
    first = ok(post(pbx, offered("c3")))
    again = ok(post(pbx, offered("c3")))
    assert again == first
    contacts = ok(center.supervisor.get("/api/v1/contacts"))
    assert contacts["total"] == 1


def test_events_before_the_offer_are_kept_and_applied_in_order(
    pbx: TestClient, center: Center
) -> None:
    go_ready(center.agent_api)
    early = [
        {"event_id": "c4-e", "call_id": "c4", "type": "ended", "at": "2030-01-01T10:00:30Z"},
        {"event_id": "c4-a", "call_id": "c4", "type": "answered", "at": "2030-01-01T10:00:05Z"},
    ]
    for event in early:
        assert ok(post(pbx, event))["pending"] is True
    answer = ok(post(pbx, {**offered("c4"), "at": "2030-01-01T10:00:00Z"}))
    detail = ok(center.supervisor.get(f"/api/v1/contacts/{answer['contact_id']}"))
    assert detail["status"] == "wrap_up"  # answered, then ended: not an abandoned call
    kinds = [event["kind"] for event in detail["events"]]
    assert kinds.index("answered") < kinds.index("ended")


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({}, "no headers"),
        ({INTEGRATION_HEADER: "pbx"}, "no signature"),
        ({INTEGRATION_HEADER: "pbx", SIGNATURE_HEADER: "sha256=00"}, "wrong signature"),
        ({INTEGRATION_HEADER: "other", SIGNATURE_HEADER: "sha256=00"}, "unknown integration"),
    ],
)
def test_unsigned_or_badly_signed_events_are_refused(
    pbx: TestClient, headers: dict[str, str], why: str
) -> None:
    response = pbx.post(EVENTS, content=json.dumps(offered("c5")).encode(), headers=headers)
    assert response.status_code == 401, why


def test_a_body_signed_with_another_key_is_refused(pbx: TestClient) -> None:
    assert post(pbx, offered("c6"), key="some other key of the wrong pbx").status_code == 401


@pytest.mark.parametrize(
    ("event", "field"),
    [
        ({"event_id": "x", "type": "offered", "queue": "Q"}, "call_id"),
        ({"event_id": "x", "call_id": "c", "type": "rang"}, "type"),
        ({"event_id": "x", "call_id": "c", "type": "offered", "queue": "NOPE"}, "queue"),
        ({"event_id": "x", "call_id": "c", "type": "offered", "dialled": "+1555"}, "dialled"),
        ({"event_id": "x", "call_id": "c", "type": "offered", "at": "2030-01-01T10:00"}, "at"),
        ({"event_id": "x", "call_id": "c", "type": "offered"}, "queue"),
    ],
)
def test_malformed_events_get_a_4xx_naming_the_field(
    pbx: TestClient, event: dict[str, Any], field: str
) -> None:
    response = post(pbx, event)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field


def test_a_body_that_is_not_json_is_a_422(pbx: TestClient) -> None:
    body = b"offered c7"
    headers = {INTEGRATION_HEADER: "pbx", SIGNATURE_HEADER: signature(SECRET, body)}
    assert pbx.post(EVENTS, content=body, headers=headers).status_code == 422


def test_a_second_offer_of_the_same_call_is_refused_and_recorded_nowhere(
    pbx: TestClient, center: Center
) -> None:
    ok(post(pbx, offered("c8")))
    response = post(pbx, offered("c8", event="c8-offered-again"))
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "call_id"
    assert ok(center.supervisor.get("/api/v1/contacts"))["total"] == 1
    # The refused event left no trace: sent again, it is refused again, not "repeated".
    assert post(pbx, offered("c8", event="c8-offered-again")).status_code == 422
