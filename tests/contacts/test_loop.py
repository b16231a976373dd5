"""The whole loop through the public API: arrival, routing, answer, end, wrap-up, timeline."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.contacts.conftest import Center


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def arrive(center: Center, address: str = "8 (912) 345-67-89", **extra: Any) -> dict[str, Any]:
    body = {"channel": "voice", "queue_id": center.queue.id, "address": address, **extra}
    result: dict[str, Any] = ok(center.supervisor.post("/api/v1/contacts", json=body), 201)
    return result


def go_ready(api: TestClient) -> None:
    assert ok(api.post("/api/v1/workspace/state", json={"state": "ready"}))["applied"]


def test_a_call_is_routed_answered_wrapped_up_and_on_the_timeline(center: Center) -> None:
    go_ready(center.agent_api)
    contact = arrive(center)
    assert contact["status"] == "offered"
    assert contact["customer_id"] == center.customer_id

    workspace = ok(center.agent_api.get("/api/v1/workspace"))
    assert workspace["state"] == "offered"
    assert [c["id"] for c in workspace["contacts"]] == [contact["id"]]
    assert workspace["contacts"][0]["address"] == "8 (912) 345-67-89"  # in hand: unmasked
    assert str(contact["id"]) in workspace["offer_deadlines"]

    assert ok(center.agent_api.post(f"/api/v1/contacts/{contact['id']}/accept"))["applied"]
    assert ok(center.agent_api.get("/api/v1/workspace"))["state"] == "busy"
    ended = ok(center.agent_api.post(f"/api/v1/contacts/{contact['id']}/end"))
    assert [d["type"] for d in ended["decisions"]] == ["WrapUpStarted"]
    assert ok(center.agent_api.get("/api/v1/workspace"))["state"] == "wrap_up"

    body = {"reason_id": center.reason.id, "outcome": "resolved", "notes": "explained"}
    done = ok(center.agent_api.post(f"/api/v1/contacts/{contact['id']}/wrap-up", json=body))
    assert done["status"] == "done"
    assert done["outcome"] == "resolved"
    for step in ("queued_at", "offered_at", "answered_at", "ended_at", "wrap_up_ended_at"):
        assert done[step] is not None, step
    assert done["abandoned_at"] is None
    assert ok(center.agent_api.get("/api/v1/workspace"))["state"] == "ready"

    detail = ok(center.supervisor.get(f"/api/v1/contacts/{contact['id']}"))
    kinds = [event["kind"] for event in detail["events"]]
    assert kinds == [
        "arrived",
        "queued",
        "offered",
        "answered",
        "ended",
        "wrap_up_started",
        "wrapped_up",
        "wrap_up_ended",
    ]
    timeline = ok(center.supervisor.get(f"/api/v1/customers/{center.customer_id}/contacts"))
    assert [c["id"] for c in timeline] == [contact["id"]]

    # And in the metrics: one offered, answered well within 20 s, handled.
    board = ok(center.supervisor.get("/api/v1/wallboard", params={"time_zone": "UTC"}))
    [figures] = [q for q in board["queues"] if q["queue_id"] == center.queue.id]
    day = figures["day"]
    assert (day["offered"], day["answered"], day["abandoned"], day["handled"]) == (1, 1, 0, 1)
    assert day["service_level"] == 1.0
    assert day["aht_seconds"] > 0


def test_a_contact_waits_when_nobody_is_ready_and_is_offered_when_someone_is(
    center: Center,
) -> None:
    first, second = arrive(center), arrive(center, address="+79990000000")
    assert first["status"] == second["status"] == "waiting"
    estimate = ok(center.supervisor.get(f"/api/v1/routing/queues/{center.queue.id}/wait-estimate"))
    assert estimate["waiting"] == 2
    assert estimate["estimated_wait_seconds"] is None  # nobody serves the queue
    go_ready(center.agent_api)
    workspace = ok(center.agent_api.get("/api/v1/workspace"))
    assert [c["id"] for c in workspace["contacts"]] == [first["id"]]  # FIFO


def test_a_caller_who_hangs_up_while_waiting_is_abandoned(center: Center) -> None:
    contact = arrive(center)
    ok(center.supervisor.post(f"/api/v1/contacts/{contact['id']}/end"))
    detail = ok(center.supervisor.get(f"/api/v1/contacts/{contact['id']}"))
    assert detail["status"] == "abandoned"
    assert detail["abandoned_at"] is not None


def test_refusing_an_offer_keeps_the_place_and_the_router_says_why_it_refuses(
    center: Center,
) -> None:
    go_ready(center.agent_api)
    contact = arrive(center)
    ok(center.agent_api.post(f"/api/v1/contacts/{contact['id']}/reject"))
    detail = ok(center.supervisor.get(f"/api/v1/contacts/{contact['id']}"))
    assert detail["status"] == "waiting"
    # Accepting what is no longer offered: a 409 naming the field, not a 500.
    response = center.supervisor.post(f"/api/v1/contacts/{contact['id']}/accept")
    assert response.status_code == 409
    assert response.json()["error"]["field"] == "contact_id"


def test_a_wrong_channel_queue_is_refused_naming_the_field(center: Center) -> None:
    body = {"channel": "voice", "queue_id": center.chat_queue.id}
    response = center.supervisor.post("/api/v1/contacts", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "queue_id"


def test_an_agent_sees_other_agents_contacts_not_at_all(center: Center) -> None:
    contact = arrive(center)
    response = center.agent_api.get(f"/api/v1/contacts/{contact['id']}")
    assert response.status_code == 404
