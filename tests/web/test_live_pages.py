"""The workspace and wallboard pages over HTTP: who may open them, and the agent's loop
through the workspace's forms (the same actions and router as the API).

Pages answer in Russian (the app's default); the assertions use the catalog's words.
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.audit.models import AuditEntry
from frontline.auth.models import Role
from frontline.contacts.models import Contact, ContactStatus
from tests.api import factories
from tests.api.conftest import CallerOf
from tests.contacts.conftest import Center, caller_of, center
from tests.web.conftest import SignedIn, csrf_of, sign_in

__all__ = ["caller_of", "center"]

PAGES = {
    "/workspace": {Role.AGENT, Role.SUPERVISOR, Role.ADMIN},
    "/wallboard": {Role.SUPERVISOR, Role.PLANNER, Role.QUALITY_ANALYST, Role.ADMIN},
    "/wallboard/parts/board": {Role.SUPERVISOR, Role.PLANNER, Role.QUALITY_ANALYST, Role.ADMIN},
}


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
@pytest.mark.parametrize("path", list(PAGES))
def test_each_role_opens_only_its_live_pages(signed_in: SignedIn, path: str, role: Role) -> None:
    browser, _ = signed_in(role)
    answer = browser.get(path)
    if role not in PAGES[path]:
        assert answer.status_code == 403
        assert "Нет доступа" in answer.text
    elif path == "/workspace":
        # Allowed, but these accounts have no agent record to route to.
        assert answer.status_code == 409
    else:
        assert answer.status_code == 200
        assert "Ожидают сейчас" in answer.text


@pytest.mark.parametrize("path", ["/workspace", "/wallboard"])
def test_the_menu_links_each_role_to_its_live_pages(signed_in: SignedIn, path: str) -> None:
    for role in Role:
        home = signed_in(role)[0].get("/").text
        assert (f'href="{path}"' in home) is (role in PAGES[path]), role


def test_streams_refuse_strangers_and_other_roles(client: TestClient, signed_in: SignedIn) -> None:
    assert client.get("/workspace/events").status_code == 403
    assert client.get("/wallboard/events").status_code == 403
    planner, _ = signed_in(Role.PLANNER)
    assert planner.get("/workspace/events").status_code == 403


def _post(browser: TestClient, path: str, **data: str) -> str:
    token = csrf_of(browser.get("/workspace").text)
    answer = browser.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/workspace"
    return browser.get("/workspace").text


def test_an_agent_takes_a_call_through_the_workspace(
    app: FastAPI, center: Center, db: Session
) -> None:
    agent = sign_in(TestClient(app), center.agent_caller.user.email)
    opened = agent.get("/workspace")
    assert opened.status_code == 200
    assert 'data-events="/workspace/events"' in opened.text

    page = _post(agent, "/workspace/state", state="ready", reason="lunch")
    assert '<span id="my-state" class="state state-ready">Готов</span>' in page

    arrival = {"channel": "voice", "queue_id": center.queue.id, "address": "+79123456789"}
    contact_id = center.supervisor.post("/api/v1/contacts", json=arrival).json()["id"]
    offers = agent.get("/workspace/parts/offers").text
    assert "Входящее обращение" in offers
    assert f"/workspace/contacts/{contact_id}/accept" in offers
    assert "data-deadline=" in offers

    page = _post(agent, f"/workspace/contacts/{contact_id}/accept")
    assert "Входящее обращение" not in page
    assert "Недавние обращения" in page  # the customer 360 of the matched caller
    db.rollback()
    audited = db.scalars(select(AuditEntry).where(AuditEntry.action == "workspace.customer"))
    assert [entry.object_id for entry in audited][-1:] == [str(center.customer_id)]

    page = _post(agent, f"/workspace/contacts/{contact_id}/end")
    assert '<optgroup label="Billing">' in page
    assert f'<option value="{center.reason.id}">Invoice question</option>' in page
    assert '<dd id="my-handled">0</dd>' in page  # handled once the wrap-up ends (metrics)

    refused = _post(agent, f"/workspace/contacts/{contact_id}/wrap-up", outcome="resolved")
    assert "Не выполнено" in refused  # no reason chosen: the form says why

    page = _post(
        agent,
        f"/workspace/contacts/{contact_id}/wrap-up",
        reason_id=str(center.reason.id),
        outcome="resolved",
        notes="explained the invoice",
    )
    assert "Нет обращений в работе." in page
    assert '<dd id="my-handled">1</dd>' in page
    db.rollback()
    contact = db.get(Contact, contact_id)
    assert contact is not None
    assert (contact.status, contact.notes) == (ContactStatus.DONE, "explained the invoice")


def test_the_search_for_an_unknown_caller_is_audited_and_masked(
    app: FastAPI, center: Center, db: Session
) -> None:
    agent = sign_in(TestClient(app), center.agent_caller.user.email)
    found = agent.get("/workspace/customers", params={"q": "Customer"}).text
    db.rollback()
    searched = db.scalars(select(AuditEntry).where(AuditEntry.action == "workspace.search")).all()
    assert len(searched) == found.count('name="customer_id"') >= 1
    assert "+79123456789" not in found


def _answered(center: Center, agent: TestClient, address: str) -> int:
    """A call from ``address`` offered to the ready agent and accepted on the page."""
    _post(agent, "/workspace/state", state="ready")
    arrival = {"channel": "voice", "queue_id": center.queue.id, "address": address}
    contact_id = int(center.supervisor.post("/api/v1/contacts", json=arrival).json()["id"])
    _post(agent, f"/workspace/contacts/{contact_id}/accept")
    return contact_id


def test_an_unknown_caller_is_linked_to_the_customer_at_wrap_up(
    app: FastAPI, center: Center, db: Session
) -> None:
    agent = sign_in(TestClient(app), center.agent_caller.user.email)
    contact_id = _answered(center, agent, "+79990001122")
    page = _post(agent, f"/workspace/contacts/{contact_id}/end")
    assert "Привязать абонента к клиенту" in page
    assert "Недавние обращения" not in page  # nobody to show yet
    _post(
        agent,
        f"/workspace/contacts/{contact_id}/wrap-up",
        reason_id=str(center.reason.id),
        outcome="callback",
        customer_id=str(center.customer_id),
    )
    db.rollback()
    contact = db.get(Contact, contact_id)
    assert contact is not None
    assert (contact.customer_id, contact.outcome) == (center.customer_id, "callback")


def test_a_transfer_to_a_queue_puts_the_call_back_in_line(
    app: FastAPI, center: Center, db: Session
) -> None:
    agent = sign_in(TestClient(app), center.agent_caller.user.email)
    contact_id = _answered(center, agent, "+79123456789")
    page = agent.get("/workspace").text
    assert f'<option value="{center.queue.id}">' in page
    assert f'<option value="{center.chat_queue.id}">' not in page  # another channel
    _post(agent, f"/workspace/contacts/{contact_id}/transfer", queue_id=str(center.queue.id))
    db.rollback()
    contact = db.get(Contact, contact_id)
    assert contact is not None
    assert "transferred" in [event.kind for event in contact.events]


def test_a_supervisor_sends_an_agent_to_lunch_from_the_wallboard(
    app: FastAPI, center: Center, signed_in: SignedIn
) -> None:
    agent = sign_in(TestClient(app), center.agent_caller.user.email)
    _post(agent, "/workspace/state", state="ready")
    supervisor, _ = signed_in(Role.SUPERVISOR)
    board = supervisor.get("/wallboard").text
    assert "state state-ready" in board
    answer = supervisor.post(
        f"/wallboard/agents/{center.agent.id}/state",
        data={"state": "not_ready", "reason": "lunch", "csrf_token": csrf_of(board)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/wallboard"
    assert "Не готов</span> · Обед" in supervisor.get("/wallboard").text
    planner, _ = signed_in(Role.PLANNER)
    assert f"/wallboard/agents/{center.agent.id}/state" not in planner.get("/wallboard").text


def test_a_cold_escalation_offers_the_call_to_the_logged_in_supervisor(
    app: FastAPI, center: Center, db: Session, caller_of: CallerOf
) -> None:
    boss = caller_of(Role.SUPERVISOR)
    with factories.one_commit(db):
        record = factories.agent(db, factories.site(db), user_id=boss.user.id, full_name="Boss")
        factories.grant(db, record, center.queue.skill)
    agent = sign_in(TestClient(app), center.agent_caller.user.email)
    contact_id = _answered(center, agent, "+79123456789")
    # Ready only now, or the call might have gone to the supervisor in the first place.
    assert boss.client.post("/api/v1/workspace/state", json={"state": "ready"}).status_code == 200
    page = agent.get("/workspace").text
    assert f'<option value="{record.id}">Boss</option>' in page
    _post(agent, f"/workspace/contacts/{contact_id}/escalate", agent_id=str(record.id), mode="cold")
    offered_to_boss = boss.client.get("/api/v1/workspace").json()["contacts"]
    assert [contact["id"] for contact in offered_to_boss] == [contact_id]
    db.rollback()
    contact = db.get(Contact, contact_id)
    assert contact is not None
    assert "escalated" in [event.kind for event in contact.events]
