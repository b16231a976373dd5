"""Bad input is refused with a 4xx naming the field, and nothing is saved.

Every case is one request an administrator sends (so access is never the reason for
the refusal) against a world of valid rows from the factories. The answer must be
``{"error": {"code", "message", "field"}}`` with the expected status and field, and
the database must be exactly as it was.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from frontline.core.models import Base
from tests.api.factories import World

V1 = "/api/v1"
LONG = "x" * 5000

Make = Callable[[World], Any]


def body(valid: dict[str, Any], changes: dict[str, Any], w: World) -> dict[str, Any]:
    """A valid body with ``changes``: callables read the world, ``...`` drops a field."""
    values = {key: value(w) if callable(value) else value for key, value in changes.items()}
    return {key: value for key, value in {**valid, **values}.items() if value is not ...}


def _nothing(_: World) -> None:
    return None


@dataclass(frozen=True)
class Bad:
    name: str
    method: str
    # Formatted with ``World.ids`` (``{sites}``, ``{agents}``, …).
    path: str
    status: int
    field: str | None
    body: Make = _nothing
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    code: str = "invalid"


def site(**changes: Any) -> Make:
    def make(w: World) -> dict[str, Any]:
        valid = {
            "code": "EKB",
            "name": "Yekaterinburg",
            "city": "Yekaterinburg",
            "country": "RU",
            "time_zone": "Asia/Yekaterinburg",
        }
        return body(valid, changes, w)

    return make


def agent(**changes: Any) -> Make:
    def make(w: World) -> dict[str, Any]:
        valid = {
            "employee_number": "E-NEW",
            "full_name": "Olga Smirnova",
            "email": "olga@example.com",
            "site_id": w.site.id,
            "hire_date": "2025-06-02",
        }
        return body(valid, changes, w)

    return make


def user(**changes: Any) -> Make:
    def make(w: World) -> dict[str, Any]:
        valid = {
            "email": "new.user@example.com",
            "full_name": "New User",
            "role": "planner",
            "password": "a long enough password",
        }
        return body(valid, changes, w)

    return make


def customer(**changes: Any) -> Make:
    def make(w: World) -> dict[str, Any]:
        valid = {"name": "Anna Ivanova", "phones": ["+79123456700"], "emails": ["anna@example.ru"]}
        return body(valid, changes, w)

    return make


def fixed(body: Any) -> Make:
    def make(_: World) -> Any:
        return body

    return make


MISSING = ...

CASES = [
    # --- sites ---------------------------------------------------------------------
    Bad("site without code", "POST", "/sites", 422, "code", site(code=MISSING)),
    Bad("site code of wrong type", "POST", "/sites", 422, "code", site(code=["EKB"])),
    Bad("site code with spaces", "POST", "/sites", 422, "code", site(code="E K B")),
    Bad("site code too long", "POST", "/sites", 422, "code", site(code="C" * 33)),
    Bad("site name too long", "POST", "/sites", 422, "name", site(name=LONG)),
    Bad("site name blank", "POST", "/sites", 422, "name", site(name="   ")),
    Bad("site country unknown", "POST", "/sites", 422, "country", site(country="XX")),
    Bad("site country unknown region", "POST", "/sites", 422, "country", site(country="ZZ")),
    Bad("site country a union", "POST", "/sites", 422, "country", site(country="EU")),
    Bad("site country three letters", "POST", "/sites", 422, "country", site(country="RUS")),
    Bad("site time zone unknown", "POST", "/sites", 422, "time_zone", site(time_zone="Mars/Base")),
    Bad("site code taken", "POST", "/sites", 409, "code", site(code="msk"), code="conflict"),
    Bad("site body not an object", "POST", "/sites", 422, "body", fixed([1, 2])),
    Bad("site patch null name", "PATCH", "/sites/{sites}", 422, "name", fixed({"name": None})),
    Bad(
        "site patch code taken",
        "PATCH",
        "/sites/{sites}",
        409,
        "code",
        fixed({"code": "NSK"}),
        code="conflict",
    ),
    Bad("site id not a number", "GET", "/sites/moscow", 422, "row_id"),
    Bad("unknown site", "GET", "/sites/999999", 404, "id", code="not_found"),
    # --- products ------------------------------------------------------------------
    Bad(
        "product description too long",
        "POST",
        "/products",
        422,
        "description",
        fixed({"code": "LOANS", "name": "Loans", "description": LONG}),
    ),
    Bad("product without name", "POST", "/products", 422, "name", fixed({"code": "LOANS"})),
    Bad(
        "product code taken",
        "POST",
        "/products",
        409,
        "code",
        fixed({"code": "cards", "name": "Cards again"}),
        code="conflict",
    ),
    Bad(
        "product patch null code",
        "PATCH",
        "/products/{products}",
        422,
        "code",
        fixed({"code": None}),
    ),
    # --- skills --------------------------------------------------------------------
    Bad(
        "skill of unknown product",
        "POST",
        "/skills",
        422,
        "product_id",
        fixed({"product_id": 999999, "language": "en", "channel": "chat"}),
    ),
    Bad(
        "skill product id zero",
        "POST",
        "/skills",
        422,
        "product_id",
        fixed({"product_id": 0, "language": "en", "channel": "chat"}),
    ),
    Bad(
        "skill language unknown",
        "POST",
        "/skills",
        422,
        "language",
        lambda w: {"product_id": w.product.id, "language": "xx", "channel": "chat"},
    ),
    Bad(
        "skill channel unknown",
        "POST",
        "/skills",
        422,
        "channel",
        lambda w: {"product_id": w.product.id, "language": "en", "channel": "pigeon"},
    ),
    Bad(
        "skill taken",
        "POST",
        "/skills",
        409,
        "channel",
        lambda w: {"product_id": w.product.id, "language": "ru", "channel": "voice"},
        code="conflict",
    ),
    # --- queues --------------------------------------------------------------------
    Bad(
        "queue skill id of wrong type",
        "POST",
        "/queues",
        422,
        "skill_id",
        fixed({"code": "Q2", "name": "Q", "skill_id": "cards"}),
    ),
    Bad(
        "queue of unknown skill",
        "POST",
        "/queues",
        422,
        "skill_id",
        fixed({"code": "Q2", "name": "Q", "skill_id": 999999}),
    ),
    Bad(
        "queue service level above one",
        "POST",
        "/queues",
        422,
        "service_level_target",
        lambda w: {"code": "Q2", "name": "Q", "skill_id": w.skill.id, "service_level_target": 1.5},
    ),
    Bad(
        "queue proficiency above five",
        "POST",
        "/queues",
        422,
        "min_proficiency",
        lambda w: {"code": "Q2", "name": "Q", "skill_id": w.skill.id, "min_proficiency": 6},
    ),
    Bad(
        "queue patch null skill",
        "PATCH",
        "/queues/{queues}",
        422,
        "skill_id",
        fixed({"skill_id": None}),
    ),
    # --- teams ---------------------------------------------------------------------
    Bad(
        "team of unknown site",
        "POST",
        "/teams",
        422,
        "site_id",
        fixed({"name": "Gamma", "site_id": 999999}),
    ),
    Bad(
        "team led by an agent-role user",
        "POST",
        "/teams",
        422,
        "supervisor_id",
        lambda w: {"name": "Gamma", "site_id": w.site.id, "supervisor_id": w.user.id},
    ),
    Bad(
        "team name taken at the site",
        "POST",
        "/teams",
        409,
        "name",
        lambda w: {"name": "Alpha", "site_id": w.site.id},
        code="conflict",
    ),
    # --- agents --------------------------------------------------------------------
    Bad("agent of unknown site", "POST", "/agents", 422, "site_id", agent(site_id=999999)),
    Bad(
        "agent in a team of another site",
        "POST",
        "/agents",
        422,
        "team_id",
        agent(team_id=lambda w: w.other_team.id),
    ),
    Bad(
        "agent probation before hire",
        "POST",
        "/agents",
        422,
        "probation_end",
        agent(probation_end="2025-06-01"),
    ),
    Bad(
        "agent hire date not a date",
        "POST",
        "/agents",
        422,
        "hire_date",
        agent(hire_date="yesterday"),
    ),
    Bad("agent without hire date", "POST", "/agents", 422, "hire_date", agent(hire_date=MISSING)),
    Bad("agent e-mail malformed", "POST", "/agents", 422, "email", agent(email="olga@")),
    Bad(
        "agent e-mail taken",
        "POST",
        "/agents",
        409,
        "email",
        agent(email="IVAN@example.com"),
        code="conflict",
    ),
    Bad(
        "agent number taken",
        "POST",
        "/agents",
        409,
        "employee_number",
        agent(employee_number=lambda w: w.agent.employee_number),
        code="conflict",
    ),
    Bad(
        "agent contract hours above 60",
        "POST",
        "/agents",
        422,
        "contract_hours_per_week",
        agent(contract_hours_per_week=80),
    ),
    Bad("agent level unknown", "POST", "/agents", 422, "level", agent(level="boss")),
    Bad(
        "agent mentor is a consultant",
        "POST",
        "/agents",
        422,
        "mentor_id",
        agent(mentor_id=lambda w: w.agent.id),
    ),
    Bad("agent of unknown user", "POST", "/agents", 422, "user_id", agent(user_id=999999)),
    Bad(
        "agent patch null site",
        "PATCH",
        "/agents/{agents}",
        422,
        "site_id",
        fixed({"site_id": None}),
    ),
    Bad(
        "agent patch team of another site",
        "PATCH",
        "/agents/{agents}",
        422,
        "team_id",
        lambda w: {"team_id": w.other_team.id},
    ),
    Bad(
        "agent patch site away from its team",
        "PATCH",
        "/agents/{agents}",
        422,
        "team_id",
        lambda w: {"site_id": w.other_site.id},
    ),
    Bad(
        "agent patch probation before hire",
        "PATCH",
        "/agents/{agents}",
        422,
        "probation_end",
        fixed({"probation_end": "2024-01-01"}),
    ),
    Bad(
        "agent patch mentors self",
        "PATCH",
        "/agents/{agents}",
        422,
        "mentor_id",
        lambda w: {"mentor_id": w.agent.id},
    ),
    Bad(
        "agent skills of unknown skill",
        "PUT",
        "/agents/{agents}/skills",
        422,
        "skills.0.skill_id",
        fixed({"skills": [{"skill_id": 999999, "proficiency": 3}]}),
    ),
    Bad(
        "agent skills proficiency above five",
        "PUT",
        "/agents/{agents}/skills",
        422,
        "skills.0.proficiency",
        lambda w: {"skills": [{"skill_id": w.skill.id, "proficiency": 9}]},
    ),
    Bad("agent skills missing list", "PUT", "/agents/{agents}/skills", 422, "skills", fixed({})),
    # --- users ---------------------------------------------------------------------
    Bad(
        "user e-mail taken",
        "POST",
        "/users",
        409,
        "email",
        user(email=lambda w: w.user.email.upper()),
        code="conflict",
    ),
    Bad("user password too short", "POST", "/users", 422, "password", user(password="short")),
    Bad("user role unknown", "POST", "/users", 422, "role", user(role="owner")),
    Bad("user locale unknown", "POST", "/users", 422, "locale", user(locale="xx")),
    Bad(
        "user time zone unknown",
        "POST",
        "/users",
        422,
        "time_zone",
        user(time_zone="Europe/Atlantis"),
    ),
    Bad(
        "user e-mail too long",
        "POST",
        "/users",
        422,
        "email",
        user(email="a" * 250 + "@example.com"),
    ),
    Bad("user patch null e-mail", "PATCH", "/users/{users}", 422, "email", fixed({"email": None})),
    Bad("user patch null role", "PATCH", "/users/{users}", 422, "role", fixed({"role": None})),
    Bad(
        "user patch e-mail taken",
        "PATCH",
        "/users/{users}",
        409,
        "email",
        lambda w: {"email": w.supervisor.email},
        code="conflict",
    ),
    # --- customers -----------------------------------------------------------------
    Bad("customer without name", "POST", "/customers", 422, "name", customer(name=MISSING)),
    Bad("customer name too long", "POST", "/customers", 422, "name", customer(name=LONG)),
    Bad(
        "customer phone not a number",
        "POST",
        "/customers",
        422,
        "phones.0",
        customer(phones=["call me maybe"]),
    ),
    Bad(
        "customer phone too short",
        "POST",
        "/customers",
        422,
        "phones.1",
        customer(phones=["+79123456700", "+7 912"]),
    ),
    Bad(
        "customer phone impossible",
        "POST",
        "/customers",
        422,
        "phones.0",
        customer(phones=["+7 000 000-00-00"]),
    ),
    Bad(
        "customer phone of wrong type",
        "POST",
        "/customers",
        422,
        "phones.0",
        customer(phones=[79123456700]),
    ),
    Bad(
        "customer too many phones",
        "POST",
        "/customers",
        422,
        "phones",
        customer(phones=[f"+7912345670{d}" for d in range(10)] + ["+79123456710"]),
    ),
    Bad(
        "customer e-mail malformed",
        "POST",
        "/customers",
        422,
        "emails.0",
        customer(emails=["anna at example.ru"]),
    ),
    Bad(
        "customer INN bad checksum", "POST", "/customers", 422, "inn", customer(inn="500100732258")
    ),
    Bad("customer INN letters", "POST", "/customers", 422, "inn", customer(inn="77O7083893")),
    Bad(
        "customer company INN of a person",
        "POST",
        "/customers",
        422,
        "inn",
        customer(kind="company", inn="500100732259"),
    ),
    Bad("customer kind unknown", "POST", "/customers", 422, "kind", customer(kind="robot")),
    Bad(
        "customer language unknown", "POST", "/customers", 422, "language", customer(language="xx")
    ),
    Bad(
        "customer flag note too long",
        "POST",
        "/customers",
        422,
        "flag_note",
        customer(flag_note=LONG),
    ),
    Bad(
        "customer vulnerable not a flag",
        "POST",
        "/customers",
        422,
        "vulnerable",
        customer(vulnerable="very"),
    ),
    Bad(
        "customer patch null name",
        "PATCH",
        "/customers/{customers}",
        422,
        "name",
        fixed({"name": None}),
    ),
    Bad(
        "customer patch null phones",
        "PATCH",
        "/customers/{customers}",
        422,
        "phones",
        fixed({"phones": None}),
    ),
    Bad(
        "customer patch kind against INN",
        "PATCH",
        "/customers/{customers}",
        422,
        "inn",
        fixed({"kind": "company"}),
    ),
    Bad(
        "customer patch bad phone",
        "PATCH",
        "/customers/{customers}",
        422,
        "phones.0",
        fixed({"phones": ["12"]}),
    ),
    Bad("unknown customer", "GET", "/customers/999999", 404, "customer_id", code="not_found"),
    # --- tokens --------------------------------------------------------------------
    Bad("token name empty", "POST", "/tokens", 422, "name", fixed({"name": "  "})),
    Bad("token name too long", "POST", "/tokens", 422, "name", fixed({"name": LONG})),
    Bad("unknown token", "POST", "/tokens/999999/revoke", 404, "token_id", code="not_found"),
    # --- ids beyond the integer range, and text no database can store -------------------
    Bad("site id beyond integer", "GET", "/sites/2147483648", 422, "row_id"),
    Bad("site id zero", "POST", "/sites/0/deactivate", 422, "row_id"),
    Bad(
        "customer id beyond integer",
        "PATCH",
        "/customers/99999999999999999999",
        422,
        "customer_id",
        fixed({"name": "x"}),
    ),
    Bad("token id beyond integer", "POST", "/tokens/9223372036854775808/revoke", 422, "token_id"),
    Bad(
        "skill of product id beyond integer",
        "POST",
        "/skills",
        422,
        "product_id",
        fixed({"product_id": 2**63, "language": "en", "channel": "chat"}),
    ),
    Bad(
        "agent skills of skill id beyond integer",
        "PUT",
        "/agents/{agents}/skills",
        422,
        "skills.0.skill_id",
        fixed({"skills": [{"skill_id": 2**64, "proficiency": 3}]}),
    ),
    Bad(
        "team filter site beyond integer",
        "GET",
        "/teams",
        422,
        "site_id",
        params={"site_id": 2**70},
    ),
    Bad("audit actor beyond integer", "GET", "/audit", 422, "actor_id", params={"actor_id": 2**40}),
    Bad("site name with NUL", "POST", "/sites", 422, "name", site(name="Mos\x00cow")),
    Bad(
        "customer name with a lone surrogate",
        "POST",
        "/customers",
        422,
        "name",
        customer(name="Anna \ud800"),
    ),
    Bad(
        "customer e-mails with NUL",
        "POST",
        "/customers",
        422,
        "emails.0",
        customer(emails=["an\x00na@example.ru"]),
    ),
    Bad("token name with NUL", "POST", "/tokens", 422, "name", fixed({"name": "lap\x00top"})),
    Bad("search with NUL", "GET", "/sites", 422, "q", params={"q": "a\x00b"}),
    Bad(
        "customer search with NUL",
        "GET",
        "/customers",
        422,
        "email",
        params={"email": "a\x00b@example.ru"},
    ),
    Bad("audit filter with NUL", "GET", "/audit", 422, "action", params={"action": "a\x00"}),
    Bad(
        "customer read purpose with NUL",
        "GET",
        "/customers/{customers}",
        422,
        "purpose",
        params={"purpose": "call\x00"},
    ),
    # --- list queries --------------------------------------------------------------
    *[
        Bad(f"{resource} page zero", "GET", f"/{resource}", 422, "page", params={"page": 0})
        for resource in (
            "sites",
            "products",
            "skills",
            "queues",
            "teams",
            "agents",
            "users",
            "customers",
            "audit",
        )
    ],
    *[
        Bad(
            f"{resource} per page 1000",
            "GET",
            f"/{resource}",
            422,
            "per_page",
            params={"per_page": 1000},
        )
        for resource in (
            "sites",
            "products",
            "skills",
            "queues",
            "teams",
            "agents",
            "users",
            "customers",
            "audit",
        )
    ],
    Bad("page not a number", "GET", "/sites", 422, "page", params={"page": "two"}),
    Bad("active not a flag", "GET", "/sites", 422, "active", params={"active": "sometimes"}),
    Bad(
        "skill filter channel unknown",
        "GET",
        "/skills",
        422,
        "channel",
        params={"channel": "pigeon"},
    ),
    Bad("agent filter level unknown", "GET", "/agents", 422, "level", params={"level": "boss"}),
    Bad("user filter role unknown", "GET", "/users", 422, "role", params={"role": "owner"}),
    Bad(
        "customer filter purpose too long",
        "GET",
        "/customers",
        422,
        "purpose",
        params={"purpose": LONG},
    ),
    Bad(
        "customer read purpose too long",
        "GET",
        "/customers/{customers}",
        422,
        "purpose",
        params={"purpose": LONG},
    ),
    Bad("audit actor not a number", "GET", "/audit", 422, "actor_id", params={"actor_id": "me"}),
]


def as_json(body: Any) -> bytes:
    """Bodies go out as ASCII JSON, so lone surrogates travel as ``\\ud800`` escapes."""
    return b"" if body is None else json.dumps(body).encode()


# Using a token notes when it was last used, so those columns move on every call.
MOVING = frozenset({("api_tokens", "last_used_at"), ("api_tokens", "updated_at")})


def snapshot(engine: Engine) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table, as text, in a stable order."""
    with engine.connect() as connection:
        return {
            table.name: sorted(
                tuple(
                    str(value)
                    for name, value in row._asdict().items()
                    if (table.name, name) not in MOVING
                )
                for row in connection.execute(select(table))
            )
            for table in Base.metadata.sorted_tables
        }


@pytest.mark.parametrize("bad", CASES, ids=lambda bad: bad.name)
def test_bad_input_is_refused_and_nothing_is_saved(
    admin: TestClient, world: World, db: Session, bad: Bad
) -> None:
    engine = db.get_bind()
    assert isinstance(engine, Engine)
    before = snapshot(engine)
    answer = admin.request(
        bad.method,
        V1 + bad.path.format(**world.ids),
        content=as_json(bad.body(world)),
        headers={"Content-Type": "application/json"},
        params=bad.params,
    )
    assert answer.status_code == bad.status, answer.text
    error = answer.json()["error"]
    assert answer.json() == {
        "error": {"code": bad.code, "message": error["message"], "field": bad.field}
    }
    assert isinstance(error["message"], str)
    assert error["message"].strip()
    assert snapshot(engine) == before


def test_a_body_that_is_not_json_is_refused(admin: TestClient, db: Session) -> None:
    engine = db.get_bind()
    assert isinstance(engine, Engine)
    before = snapshot(engine)
    answer = admin.post(
        f"{V1}/sites", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 422
    assert set(answer.json()["error"]) == {"code", "message", "field"}
    assert snapshot(engine) == before
