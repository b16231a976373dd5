"""Property-based API tests: Schemathesis sends generated requests to every operation.

Every operation in ``/openapi.json`` is called as an administrator (so access rules do
not hide the code behind them) with valid and invalid generated input, on both
backends. A 5xx is always a bug; responses must match the documented statuses, content
types and schemas.

Checks left out, and why:

* ``positive_data_acceptance`` ("schema-valid request rejected"): some rules cannot be
  written in JSON Schema — real phone numbers, INN checksums, IANA time zones, ISO
  countries and languages, references to rows that exist, probation after hire — so a
  request the schema allows may still, rightly, get a 422.
* ``negative_data_rejection`` ("schema-violating request accepted"): pydantic's lax
  mode accepts ``false`` for ``0`` and ``0`` for ``1970-01-01``, which the schema does
  not allow. Turning on strict mode would refuse dates written as JSON strings, so the
  API keeps lax parsing, and the schema stays the stricter contract.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from sqlalchemy.orm import Session

from frontline.auth.models import Role
from frontline.core.settings import Environment, Settings
from frontline.web.app import create_app
from tests.api import factories
from tests.api.factories import World
from tests.conftest import TEST_SECRET_KEY

CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {"enabled": False},
            "negative_data_rejection": {"enabled": False},
        }
    }
)


def _openapi() -> dict[str, Any]:
    """The schema, read at collection time from an app on an unused in-memory database.

    Schemathesis turns each operation into its own test when the module is collected,
    before fixtures exist; the requests then go to the fixture's app on each backend.
    (``schemathesis.pytest.from_fixture`` would load it lazily, but fails on pytest 9.)
    """
    app = create_app(
        Settings(
            _env_file=None,
            environment=Environment.TEST,
            database_url="sqlite://",
            secret_key=TEST_SECRET_KEY,
        )
    )
    document = app.openapi()
    app.state.engine.dispose()
    return document


schema = schemathesis.openapi.from_dict(_openapi(), config=CONFIG)


@pytest.fixture
def admin_headers(db: Session, world: World) -> dict[str, str]:
    """An administrator's bearer token, and a world of rows for generated ids to hit."""
    admin = factories.user(db, Role.ADMIN)
    _, secret = factories.token(db, admin)
    return {"Authorization": f"Bearer {secret}"}


@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(
    case: schemathesis.Case[Any], app: FastAPI, admin_headers: dict[str, str]
) -> None:
    case.call_and_validate(app=app, headers=admin_headers)
