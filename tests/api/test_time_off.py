"""The time-off API over HTTP: filing, the field named in refusals, deciding, listing."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from frontline.auth.models import Role
from frontline.core.clock import utcnow
from tests.api import factories
from tests.api.conftest import CallerOf


def _agent_client(app: FastAPI, db: Session) -> TestClient:
    with factories.one_commit(db):
        account = factories.user(db, Role.AGENT)
        factories.agent(db, factories.site(db), user_id=account.id)
        _, secret = factories.token(db, account)
    return TestClient(app, headers={"Authorization": f"Bearer {secret}"})


def test_an_agent_files_and_lists_and_refusals_name_the_field(
    app: FastAPI, db: Session, caller_of: CallerOf
) -> None:
    today = utcnow().date()
    far = today + timedelta(days=30)
    with _agent_client(app, db) as agent:
        filed = agent.post("/api/v1/time-off", json={"day": far.isoformat(), "reason": "Exam"})
        assert filed.status_code == 201, filed.text
        assert filed.json()["status"] == "requested"
        assert filed.json()["late"] is False
        again = agent.post("/api/v1/time-off", json={"day": far.isoformat()})
        assert (again.status_code, again.json()["error"]["field"]) == (422, "day")
        past = agent.post("/api/v1/time-off", json={"day": (today - timedelta(days=2)).isoformat()})
        assert (past.status_code, past.json()["error"]["field"]) == (422, "day")
        # Tomorrow's week started at most a week ago or starts tomorrow: past its deadline.
        late = agent.post("/api/v1/time-off", json={"day": (today + timedelta(days=1)).isoformat()})
        assert late.json()["late"] is True

        supervisor = caller_of(Role.SUPERVISOR).client
        request_id = filed.json()["id"]
        refused = supervisor.post(f"/api/v1/time-off/{request_id}/decline", json={})
        assert (refused.status_code, refused.json()["error"]["field"]) == (422, "reason")
        approved = supervisor.post(f"/api/v1/time-off/{request_id}/approve", json={})
        assert approved.json()["status"] == "approved"
        pending = supervisor.get("/api/v1/time-off", params={"status": "requested"}).json()
        assert [row["day"] for row in pending] == [(today + timedelta(days=1)).isoformat()]
        mine = agent.get("/api/v1/time-off").json()
        assert {row["status"] for row in mine} == {"approved", "requested"}


def test_a_run_must_start_on_a_monday(caller_of: CallerOf) -> None:
    planner = caller_of(Role.PLANNER).client
    answer = planner.post("/api/v1/schedule-runs", json={"start": "2030-01-08", "weeks": 1})
    assert (answer.status_code, answer.json()["error"]["field"]) == (422, "start")
