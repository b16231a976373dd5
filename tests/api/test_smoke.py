from __future__ import annotations

from fastapi.testclient import TestClient

from frontline.auth.models import Role
from tests.conftest import ApiAs


def test_healthz_and_readyz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert (ready["status"], ready["database"]) == ("ok", "ok")
    assert ready["router"] in {"active", "standby"}


def test_admin_creates_site_and_finds_it(api_as: ApiAs) -> None:
    admin = api_as(Role.ADMIN)
    created = admin.post(
        "/api/v1/sites",
        json={
            "code": "ekb",
            "name": "Екатеринбург",
            "city": "Yekaterinburg",
            "country": "ru",
            "time_zone": "Asia/Yekaterinburg",
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["code"] == "EKB"
    found = admin.get("/api/v1/sites", params={"q": "екатер"}).json()
    assert found["total"] == 1
    duplicate = admin.post(
        "/api/v1/sites",
        json={
            "code": "EKB",
            "name": "x",
            "city": "x",
            "country": "RU",
            "time_zone": "Asia/Yekaterinburg",
        },
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["field"] == "code"


def test_agent_cannot_create_site(api_as: ApiAs) -> None:
    answer = api_as(Role.AGENT).post(
        "/api/v1/sites",
        json={"code": "X", "name": "x", "city": "x", "country": "RU", "time_zone": "Europe/Moscow"},
    )
    assert answer.status_code == 403
