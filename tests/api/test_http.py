"""HTTP behaviour shared by every API route: documented errors, 405s, lists and search."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.factories import World

ERROR_STATUSES = ("400", "401", "403", "404", "409", "422")
SEARCHABLE = ("sites", "products", "skills", "queues", "teams", "agents", "users", "customers")


def _api_operations(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    return [
        (method.upper(), path, operation)
        for path, operations in paths.items()
        if path.startswith("/api/v1/")
        for method, operation in operations.items()
    ]


def test_every_api_operation_documents_the_error_shape(app: FastAPI) -> None:
    undocumented = [
        (method, path, status)
        for method, path, operation in _api_operations(app)
        for status in ERROR_STATUSES
        if operation["responses"].get(status, {}).get("content", {}).get("application/json", {})
        != {"schema": {"$ref": "#/components/schemas/ErrorBody"}}
    ]
    assert len(_api_operations(app)) > 50
    assert undocumented == []


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/v1/sites", "GET, POST"),
        ("PUT", "/api/v1/sites/1", "GET, PATCH"),
        ("DELETE", "/api/v1/agents/1/skills", "GET, PUT"),
        ("GET", "/api/v1/tokens/1/revoke", "POST"),
    ],
)
def test_method_not_allowed_names_every_method_of_the_path(
    admin: TestClient, method: str, path: str, allow: str
) -> None:
    answer = admin.request(method, path)
    assert answer.status_code == 405
    assert answer.headers["allow"] == allow
    assert answer.json()["error"]["code"] == "method_not_allowed"


def test_a_body_that_is_not_utf8_is_a_documented_400(admin: TestClient) -> None:
    answer = admin.post(
        "/api/v1/products", content=b"\xff\xfe{", headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "error": {
            "code": "bad_request",
            "message": answer.json()["error"]["message"],
            "field": None,
        }
    }


@pytest.mark.parametrize("resource", SEARCHABLE)
@pytest.mark.parametrize("text", ["%", "_", "'", "\\", "ё", "voice", "a" * 300])
def test_every_list_takes_any_search_text(
    admin: TestClient, world: World, resource: str, text: str
) -> None:
    answer = admin.get(f"/api/v1/{resource}", params={"q": text})
    assert answer.status_code == 200, answer.text
    assert answer.json()["page"] == 1


@pytest.mark.parametrize("text", ["VOI", "ru"])
def test_skills_are_found_by_channel_and_language(
    admin: TestClient, world: World, text: str
) -> None:
    found = admin.get("/api/v1/skills", params={"q": text}).json()
    assert [skill["id"] for skill in found["items"]] == [world.skill.id]


def test_a_search_for_a_percent_sign_is_literal_enough_to_find_nothing(
    admin: TestClient, world: World
) -> None:
    found = admin.get("/api/v1/products", params={"q": "zz%zz"}).json()
    assert found["total"] == 0
