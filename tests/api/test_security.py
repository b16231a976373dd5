"""Secrets at rest, tokens, CSRF, sign-in throttling and the personal-data audit trail."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from frontline.audit.models import AuditEntry
from frontline.auth.actions import LoginPolicy, authenticate
from frontline.auth.models import ApiToken, Role, User
from frontline.core.clock import utcnow
from frontline.core.errors import NotAuthenticated, TooManyRequests
from frontline.core.models import Base
from frontline.customers.models import Customer
from tests.api import factories
from tests.api.conftest import CallerOf
from tests.api.factories import World
from tests.conftest import PASSWORD, MakeUser

NEW_PASSWORD = "a brand new secret phrase"
POLICY = LoginPolicy(max_failures=3, lockout_seconds=900, attempts_per_minute=100)


def stored_text(engine: Engine) -> str:
    """Every value in every table as one text, to search for secrets that must not be there."""
    with engine.connect() as connection:
        return "\n".join(
            repr(value)
            for table in Base.metadata.sorted_tables
            for row in connection.execute(select(table))
            for value in row
        )


def engine_of(db: Session) -> Engine:
    engine = db.get_bind()
    assert isinstance(engine, Engine)
    return engine


# --- secrets at rest -------------------------------------------------------------------


def test_a_password_set_through_the_api_is_stored_only_as_argon2id(
    admin: TestClient, db: Session
) -> None:
    created = admin.post(
        "/api/v1/users",
        json={"email": "p@example.com", "full_name": "P", "role": "agent", "password": PASSWORD},
    )
    assert created.status_code == 201, created.text
    user = db.get(User, created.json()["id"])
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")
    assert "password" not in created.text
    assert PASSWORD not in stored_text(engine_of(db))


def test_a_password_changed_through_the_api_is_stored_only_as_argon2id(
    admin: TestClient, world: World, db: Session
) -> None:
    changed = admin.patch(f"/api/v1/users/{world.user.id}", json={"password": NEW_PASSWORD})
    assert changed.status_code == 200, changed.text
    db.expire_all()
    user = db.get(User, world.user.id)
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")
    assert NEW_PASSWORD not in stored_text(engine_of(db))
    signed_in = authenticate(
        db, POLICY, email=user.email, password=NEW_PASSWORD, address="10.0.0.1", now=utcnow()
    )
    assert signed_in.id == user.id


def test_users_made_by_the_app_have_argon2id_hashes(make_user: MakeUser, db: Session) -> None:
    user = make_user(Role.PLANNER)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored_text(engine_of(db))


def test_an_api_token_is_stored_only_as_its_sha256_digest(caller_of: CallerOf, db: Session) -> None:
    caller = caller_of(Role.AGENT)
    created = caller.client.post("/api/v1/tokens", json={"name": "laptop"})
    assert created.status_code == 201, created.text
    secret = created.json()["token"]
    token = db.get(ApiToken, created.json()["id"])
    assert token is not None
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in stored_text(engine_of(db))
    listed = caller.client.get("/api/v1/tokens")
    assert secret not in listed.text


# --- tokens ----------------------------------------------------------------------------


def test_a_new_token_opens_the_api(caller_of: CallerOf, client: TestClient) -> None:
    caller = caller_of(Role.PLANNER)
    secret = caller.client.post("/api/v1/tokens", json={"name": "script"}).json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200
    assert me.json()["id"] == caller.user.id


def test_a_revoked_token_is_refused(caller_of: CallerOf, client: TestClient) -> None:
    caller = caller_of(Role.SUPERVISOR)
    created = caller.client.post("/api/v1/tokens", json={"name": "old"}).json()
    revoked = caller.client.post(f"/api/v1/tokens/{created['id']}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    answer = client.get("/api/v1/me", headers={"Authorization": f"Bearer {created['token']}"})
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "not_authenticated"


def test_revoking_the_token_in_use_locks_its_holder_out(caller_of: CallerOf) -> None:
    caller = caller_of(Role.AGENT)
    assert caller.client.post(f"/api/v1/tokens/{caller.token_id}/revoke").status_code == 200
    assert caller.client.get("/api/v1/me").status_code == 401


def test_someone_elses_token_cannot_be_revoked(
    caller_of: CallerOf, world: World, db: Session
) -> None:
    caller = caller_of(Role.SUPERVISOR)
    answer = caller.client.post(f"/api/v1/tokens/{world.token_id}/revoke")
    assert answer.status_code == 404
    token = db.get(ApiToken, world.token_id)
    assert token is not None
    assert token.revoked_at is None


def test_a_deactivated_users_token_is_refused(caller_of: CallerOf, admin: TestClient) -> None:
    caller = caller_of(Role.AGENT)
    assert admin.post(f"/api/v1/users/{caller.user.id}/deactivate").status_code == 200
    assert caller.client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize(
    "authorization",
    ["Bearer fl_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "fl_no-scheme"],
)
def test_a_bad_authorization_header_is_refused(client: TestClient, authorization: str) -> None:
    answer = client.get("/api/v1/me", headers={"Authorization": authorization})
    assert answer.status_code == 401
    assert set(answer.json()["error"]) == {"code", "message", "field"}


# --- signing in ------------------------------------------------------------------------


def test_the_account_locks_after_too_many_failures(db: Session) -> None:
    user = factories.user(db, Role.AGENT)
    now = utcnow()
    for _ in range(POLICY.max_failures):
        with pytest.raises(NotAuthenticated):
            authenticate(db, POLICY, email=user.email, password="wrong!", address="a", now=now)
    with pytest.raises(TooManyRequests) as refused:
        authenticate(db, POLICY, email=user.email, password=PASSWORD, address="b", now=now)
    assert refused.value.status_code == 429
    locked = db.scalar(select(AuditEntry).where(AuditEntry.action == "auth.lockout"))
    assert locked is not None
    assert locked.object_id == str(user.id)


def test_fewer_failures_than_the_limit_do_not_lock(db: Session) -> None:
    user = factories.user(db, Role.AGENT)
    now = utcnow()
    for _ in range(POLICY.max_failures - 1):
        with pytest.raises(NotAuthenticated):
            authenticate(db, POLICY, email=user.email, password="wrong!", address="a", now=now)
    signed_in = authenticate(db, POLICY, email=user.email, password=PASSWORD, address="a", now=now)
    assert signed_in.failed_logins == 0


def test_the_lock_expires(db: Session) -> None:
    user = factories.user(db, Role.AGENT)
    now = utcnow()
    for _ in range(POLICY.max_failures):
        with pytest.raises(NotAuthenticated):
            authenticate(db, POLICY, email=user.email, password="wrong!", address="a", now=now)
    just_before = now + timedelta(seconds=POLICY.lockout_seconds - 1)
    with pytest.raises(TooManyRequests):
        authenticate(db, POLICY, email=user.email, password=PASSWORD, address="a", now=just_before)
    later = now + timedelta(seconds=POLICY.lockout_seconds + 1)
    signed_in = authenticate(
        db, POLICY, email=user.email, password=PASSWORD, address="a", now=later
    )
    assert signed_in.id == user.id
    assert signed_in.locked_until is None


def test_unknown_email_and_wrong_password_look_alike(db: Session) -> None:
    user = factories.user(db, Role.AGENT)
    now = utcnow()
    with pytest.raises(NotAuthenticated) as unknown:
        authenticate(
            db, POLICY, email="nobody@example.com", password=PASSWORD, address="a", now=now
        )
    with pytest.raises(NotAuthenticated) as wrong:
        authenticate(db, POLICY, email=user.email, password="wrong!", address="a", now=now)
    assert (unknown.value.message, unknown.value.field) == (wrong.value.message, wrong.value.field)


def test_a_deactivated_user_cannot_sign_in(db: Session) -> None:
    user = factories.user(db, Role.AGENT, active=False)
    with pytest.raises(NotAuthenticated):
        authenticate(db, POLICY, email=user.email, password=PASSWORD, address="a", now=utcnow())


def test_one_address_is_rate_limited_and_others_are_not(db: Session) -> None:
    policy = LoginPolicy(max_failures=100, lockout_seconds=900, attempts_per_minute=4)
    user = factories.user(db, Role.AGENT)
    now = utcnow()
    for n in range(policy.attempts_per_minute):
        with pytest.raises(NotAuthenticated):
            authenticate(
                db, policy, email=f"x{n}@example.com", password="x", address="1.2.3.4", now=now
            )
    with pytest.raises(TooManyRequests) as limited:
        authenticate(db, policy, email=user.email, password=PASSWORD, address="1.2.3.4", now=now)
    assert limited.value.status_code == 429
    from_elsewhere = authenticate(
        db, policy, email=user.email, password=PASSWORD, address="5.6.7.8", now=now
    )
    assert from_elsewhere.id == user.id
    a_minute_later = now + timedelta(seconds=61)
    again = authenticate(
        db, policy, email=user.email, password=PASSWORD, address="1.2.3.4", now=a_minute_later
    )
    assert again.id == user.id


# --- the audit trail of personal data --------------------------------------------------


def test_listing_customers_records_one_row_per_customer_shown(
    caller_of: CallerOf, world: World, db: Session
) -> None:
    second = factories.customer(db, name="Maria Sidorova", phones=("+79161234567",), emails=())
    caller = caller_of(Role.SUPERVISOR)
    listed = caller.client.get("/api/v1/customers", params={"purpose": "callback 42"})
    assert listed.status_code == 200
    assert listed.json()["total"] == 2
    rows = db.scalars(select(AuditEntry).where(AuditEntry.action == "customers.list")).all()
    assert sorted((r.object_type, r.object_id, r.actor_id, r.purpose) for r in rows) == sorted(
        [
            ("customers", str(world.customer.id), caller.user.id, "callback 42"),
            ("customers", str(second.id), caller.user.id, "callback 42"),
        ]
    )


def test_reading_a_customer_records_one_row(caller_of: CallerOf, world: World, db: Session) -> None:
    caller = caller_of(Role.AGENT)
    read = caller.client.get(
        f"/api/v1/customers/{world.customer.id}", params={"purpose": "incoming call"}
    )
    assert read.status_code == 200
    rows = db.scalars(select(AuditEntry).where(AuditEntry.action.like("customers.%"))).all()
    assert [(r.action, r.object_id, r.actor_id, r.purpose) for r in rows] == [
        ("customers.read", str(world.customer.id), caller.user.id, "incoming call")
    ]


def test_a_refused_reader_leaves_no_read_rows(
    caller_of: CallerOf, world: World, db: Session
) -> None:
    caller = caller_of(Role.PLANNER)
    assert caller.client.get("/api/v1/customers").status_code == 403
    assert caller.client.get(f"/api/v1/customers/{world.customer.id}").status_code == 404
    count = db.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.action.like("customers.%"))
    )
    assert count == 0


def test_agents_see_contact_details_masked(caller_of: CallerOf, world: World) -> None:
    shown = caller_of(Role.AGENT).client.get(f"/api/v1/customers/{world.customer.id}").json()
    assert shown["masked"] is True
    assert shown["phones"] == ["+7912*****89"]
    assert shown["emails"] == ["i**********@example.ru"]
    listed = caller_of(Role.AGENT).client.get("/api/v1/customers").json()
    assert [(c["masked"], c["phones"]) for c in listed["items"]] == [(True, ["+7912*****89"])]


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.QUALITY_ANALYST, Role.ADMIN])
def test_supervisors_and_above_see_contact_details_in_full(
    caller_of: CallerOf, world: World, role: Role
) -> None:
    shown = caller_of(role).client.get(f"/api/v1/customers/{world.customer.id}").json()
    assert shown["masked"] is False
    assert shown["phones"] == ["+79123456789"]
    assert shown["emails"] == ["ivan.petrov@example.ru"]


def test_an_agent_finds_a_customer_by_the_full_phone_but_sees_it_masked(
    caller_of: CallerOf, world: World
) -> None:
    found = caller_of(Role.AGENT).client.get(
        "/api/v1/customers", params={"phone": "8 912 345-67-89"}
    )
    assert [(c["id"], c["phones"]) for c in found.json()["items"]] == [
        (world.customer.id, ["+7912*****89"])
    ]


# --- CSRF on cookie-authenticated API calls --------------------------------------------

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRF-Token": "([^"]+)"')


@pytest.fixture
def signed_in(client: TestClient, db: Session) -> tuple[TestClient, str]:
    """``client`` signed in through the login form, and its session's CSRF token."""
    user = factories.user(db, Role.SUPERVISOR)
    form = client.get("/login")
    login_token = CSRF_FIELD.findall(form.text)[0]
    answer = client.post(
        "/login",
        data={"csrf_token": login_token, "email": user.email, "password": PASSWORD, "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    home = client.get("/")
    return client, CSRF_HEADER.findall(home.text)[0]


def _count_customers(db: Session) -> int:
    return int(db.scalar(select(func.count(Customer.id))) or 0)


@pytest.mark.parametrize("header", [{}, {"X-CSRF-Token": "forged"}], ids=["missing", "wrong"])
def test_a_cookie_authenticated_write_needs_the_csrf_token(
    signed_in: tuple[TestClient, str], db: Session, header: dict[str, str]
) -> None:
    browser, _ = signed_in
    answer = browser.post("/api/v1/customers", json={"name": "Forged"}, headers=header)
    assert answer.status_code == 403
    assert answer.json()["error"]["field"] == "csrf_token"
    assert _count_customers(db) == 0


def test_a_cookie_authenticated_write_with_the_csrf_token_passes(
    signed_in: tuple[TestClient, str], db: Session
) -> None:
    browser, token = signed_in
    answer = browser.post(
        "/api/v1/customers", json={"name": "Genuine"}, headers={"X-CSRF-Token": token}
    )
    assert answer.status_code == 201, answer.text
    assert _count_customers(db) == 1


def test_a_cookie_authenticated_read_needs_no_csrf_token(
    signed_in: tuple[TestClient, str],
) -> None:
    browser, _ = signed_in
    assert browser.get("/api/v1/me").status_code == 200


def test_the_login_form_itself_needs_the_csrf_token(client: TestClient, db: Session) -> None:
    user = factories.user(db, Role.AGENT)
    client.get("/login")
    answer = client.post(
        "/login", data={"email": user.email, "password": PASSWORD}, follow_redirects=False
    )
    assert answer.status_code == 403
    assert client.get("/api/v1/me").status_code == 401
