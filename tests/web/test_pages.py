"""The pages as a browser uses them: forms, CSRF tokens, cookies, languages.

The app's default language is Russian, so pages answer in Russian unless the viewer
asks otherwise; the assertions use the catalog's words.
"""

from __future__ import annotations

import re
from datetime import date

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontline.audit.models import AuditEntry
from frontline.auth.models import Role
from frontline.org.models import Channel, Product, Site, Skill, Team
from frontline.people.models import Agent, AgentLevel
from tests.conftest import PASSWORD, MakeUser
from tests.web.conftest import SignedIn, csrf_of, field_error, field_value, sign_in

SITE = {
    "code": "ekb",
    "name": "Екатеринбург",
    "city": "Екатеринбург",
    "country": "ru",
    "time_zone": "Asia/Yekaterinburg",
}


def _count(db: Session, model: type[object]) -> int:
    db.rollback()  # a new transaction sees what the app committed
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def _post_form(
    client: TestClient, page: str, data: dict[str, str], target: str = ""
) -> httpx.Response:
    """Open ``page`` to get its token, then post ``data`` to ``target`` (default: the page)."""
    token = csrf_of(client.get(page).text)
    return client.post(target or page, data={**data, "csrf_token": token}, follow_redirects=False)


def test_login_with_the_right_password_opens_the_home_page(
    client: TestClient, make_user: MakeUser
) -> None:
    admin = make_user(Role.ADMIN)
    home = sign_in(client, admin.email).get("/")
    assert home.status_code == 200
    assert "Администрирование" in home.text
    assert admin.full_name in home.text


def test_wrong_password_and_unknown_email_get_the_same_answer(
    client: TestClient, make_user: MakeUser
) -> None:
    user = make_user(Role.AGENT)
    token = csrf_of(client.get("/login").text)
    wrong_password = client.post(
        "/login", data={"email": user.email, "password": "nope-nope", "csrf_token": token}
    )
    unknown = client.post(
        "/login", data={"email": "nobody@example.com", "password": "nope", "csrf_token": token}
    )
    assert wrong_password.status_code == unknown.status_code == 401
    assert "Неверный e-mail или пароль" in wrong_password.text
    assert "Неверный e-mail или пароль" in unknown.text
    assert field_value(wrong_password.text, "email") == user.email


def test_account_locks_after_repeated_failures(client: TestClient, make_user: MakeUser) -> None:
    user = make_user(Role.AGENT)
    token = csrf_of(client.get("/login").text)
    for _ in range(3):  # login_max_failures in the test settings
        client.post("/login", data={"email": user.email, "password": "bad", "csrf_token": token})
    locked = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert locked.status_code == 429
    assert "Учётная запись заблокирована" in locked.text


def test_unauthenticated_page_redirects_to_login(client: TestClient) -> None:
    answer = client.get("/admin/sites", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fadmin%2Fsites"


def test_form_post_needs_the_sessions_csrf_token(signed_in: SignedIn, db: Session) -> None:
    admin, _ = signed_in(Role.ADMIN)
    missing = admin.post("/admin/sites/new", data=SITE, follow_redirects=False)
    wrong = admin.post(
        "/admin/sites/new", data={**SITE, "csrf_token": "forged"}, follow_redirects=False
    )
    assert missing.status_code == wrong.status_code == 403
    assert "Нет доступа" in wrong.text
    assert _count(db, Site) == 0
    created = _post_form(admin, "/admin/sites/new", SITE)
    assert created.status_code == 303
    assert _count(db, Site) == 1


def test_admin_creates_a_site_through_the_form(signed_in: SignedIn, db: Session) -> None:
    admin, _ = signed_in(Role.ADMIN)
    _post_form(admin, "/admin/sites/new", SITE)
    listed = admin.get("/admin/sites", params={"q": "екатер"})
    assert "Сохранено: Екатеринбург" in listed.text
    assert "EKB" in listed.text
    db.rollback()
    site = db.scalars(select(Site)).one()
    assert (site.code, site.country, site.time_zone) == ("EKB", "RU", "Asia/Yekaterinburg")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Обязательное поле"),
        ("name", "x" * 201, "Не более 200 символов"),
        ("time_zone", "Mars/Olympus", "Неизвестный часовой пояс"),
        ("code", "no spaces", "Только латинские буквы"),
    ],
)
def test_bad_site_form_shows_the_error_beside_the_field(
    signed_in: SignedIn, db: Session, field: str, value: str, message: str
) -> None:
    admin, _ = signed_in(Role.ADMIN)
    answer = _post_form(admin, "/admin/sites/new", {**SITE, field: value})
    assert answer.status_code == 422
    html = answer.text
    assert message in (field_error(html, field) or "")
    assert field_value(html, "city") == SITE["city"]  # the user's input is kept
    assert _count(db, Site) == 0


def test_duplicate_code_is_shown_beside_the_code(signed_in: SignedIn, db: Session) -> None:
    admin, _ = signed_in(Role.ADMIN)
    _post_form(admin, "/admin/sites/new", SITE)
    again = _post_form(admin, "/admin/sites/new", {**SITE, "code": "EKB", "name": "Другая"})
    assert again.status_code == 422
    assert field_error(again.text, "code") == "Уже занято"
    assert _count(db, Site) == 1


def test_action_refusal_is_shown_beside_its_field(signed_in: SignedIn, db: Session) -> None:
    admin, _ = signed_in(Role.ADMIN)
    _post_form(admin, "/admin/sites/new", SITE)
    _post_form(admin, "/admin/sites/new", {**SITE, "code": "MSK", "name": "Москва"})
    db.rollback()
    ekb, msk = (db.scalars(select(Site).where(Site.code == c)).one() for c in ("EKB", "MSK"))
    db.add(Team(name="Альфа", site_id=msk.id))
    db.commit()
    team = db.scalars(select(Team)).one()
    agent = {
        "employee_number": "A-1",
        "full_name": "Иван Петров",
        "email": "ivan@example.com",
        "site_id": str(ekb.id),
        "team_id": str(team.id),
        "hire_date": date(2026, 1, 12).isoformat(),
    }
    answer = _post_form(admin, "/admin/agents/new", agent)
    assert answer.status_code == 422
    assert field_error(answer.text, "team_id") == "Команда относится к другой площадке"
    assert _count(db, Agent) == 0


def test_agent_is_not_allowed_on_admin_pages(signed_in: SignedIn) -> None:
    agent, _ = signed_in(Role.AGENT)
    answer = agent.get("/admin/sites")
    assert answer.status_code == 403
    assert "Нет доступа" in answer.text


def test_search_from_htmx_gets_only_the_rows(signed_in: SignedIn) -> None:
    admin, _ = signed_in(Role.ADMIN)
    _post_form(admin, "/admin/sites/new", SITE)
    rows = admin.get("/admin/sites", params={"q": "EKB"}, headers={"HX-Request": "true"})
    assert rows.status_code == 200
    assert "<html" not in rows.text
    assert "Екатеринбург" in rows.text
    none = admin.get("/admin/sites", params={"q": "нет такой"}, headers={"HX-Request": "true"})
    assert "Ничего не найдено" in none.text


def test_user_edit_with_empty_password_keeps_the_password(
    signed_in: SignedIn, make_user: MakeUser
) -> None:
    admin, _ = signed_in(Role.ADMIN)
    agent = make_user(Role.AGENT)
    form = {"email": agent.email, "full_name": "Новое Имя", "role": "agent", "password": ""}
    saved = _post_form(admin, f"/admin/users/{agent.id}", form)
    assert saved.status_code == 303
    with TestClient(admin.app) as browser:
        assert "Новое Имя" in sign_in(browser, agent.email).get("/").text


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        (Role.AGENT, "не связана с профилем оператора"),
        (Role.SUPERVISOR, "Мои команды"),
        (Role.PLANNER, "Численность"),
        (Role.QUALITY_ANALYST, "Операторы на испытательном сроке"),
        (Role.ADMIN, "Администрирование"),
    ],
)
def test_each_role_has_its_home_page(signed_in: SignedIn, role: Role, heading: str) -> None:
    browser, _ = signed_in(role)
    home = browser.get("/")
    assert home.status_code == 200
    assert heading in home.text


def test_language_follows_cookie_then_accept_language(client: TestClient) -> None:
    assert "Войти" in client.get("/login").text
    english = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in english.text
    assert "Sign in" in english.text
    client.cookies.set("lang", "ru")
    assert "Войти" in client.get("/login", headers={"Accept-Language": "en"}).text


def test_language_switch_sets_the_cookie(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    switched = client.post("/language", data={"lang": "en", "next": "/login", "csrf_token": token})
    assert switched.status_code == 200
    assert "Sign in" in switched.text
    assert client.cookies.get("lang") == "en"


def test_customer_page_is_audited_and_masked_for_agents(signed_in: SignedIn, db: Session) -> None:
    admin, _ = signed_in(Role.ADMIN)
    customer = {"kind": "person", "name": "Анна Смирнова", "language": "ru"}
    phones = "8 (912) 345-67-89\n+7 495 123-45-67"
    created = _post_form(admin, "/customers/new", {**customer, "phones": phones})
    assert created.status_code == 303, created.text
    page = created.headers["location"]
    assert "+79123456789" in admin.get(page).text

    agent, agent_user = signed_in(Role.AGENT)
    seen = agent.get(page)
    assert seen.status_code == 200
    assert "+7912*****89" in seen.text
    assert "+79123456789" not in seen.text
    db.rollback()
    reads = db.scalars(
        select(AuditEntry).where(
            AuditEntry.actor_id == agent_user.id, AuditEntry.action == "customers.read"
        )
    ).all()
    assert [entry.object_id for entry in reads] == [page.rsplit("/", 1)[1]]


def test_bad_phone_is_shown_with_its_line(signed_in: SignedIn) -> None:
    admin, _ = signed_in(Role.ADMIN)
    form = {"kind": "person", "name": "Анна", "language": "ru", "phones": "+79123456789\n12"}
    answer = _post_form(admin, "/customers/new", form)
    assert answer.status_code == 422
    assert (field_error(answer.text, "phones") or "").startswith("Строка 2:")


def test_unknown_or_malformed_ids_get_a_not_found_page(signed_in: SignedIn) -> None:
    admin, _ = signed_in(Role.ADMIN)
    for path in ("/admin/sites/4242", "/admin/sites/abc", "/admin/sites/" + "9" * 30):
        answer = admin.get(path)
        assert (answer.status_code, "Не найдено" in answer.text) == (404, True), path


def test_htmx_deactivate_swaps_the_row_and_takes_the_header_token(signed_in: SignedIn) -> None:
    admin, _ = signed_in(Role.ADMIN)
    _post_form(admin, "/admin/sites/new", SITE)
    listed = admin.get("/admin/sites")
    row_id = re.search(r'id="row-(\d+)"', listed.text)
    assert row_id is not None
    answer = admin.post(
        f"/admin/sites/{row_id.group(1)}/deactivate",
        headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(listed.text)},
    )
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith("<tr")
    assert "Восстановить" in answer.text


def test_admin_sets_an_agents_skills_and_the_agent_sees_them(
    signed_in: SignedIn, db: Session, make_user: MakeUser
) -> None:
    admin, _ = signed_in(Role.ADMIN)
    agent_user = make_user(Role.AGENT)
    site = Site(
        code="EKB",
        name="Екатеринбург",
        city="Екатеринбург",
        country="RU",
        time_zone="Asia/Yekaterinburg",
    )
    product = Product(code="NET", name="Интернет")
    db.add_all([site, product])
    db.flush()
    skill = Skill(product_id=product.id, language="ru", channel=Channel.CHAT)
    agent = Agent(
        employee_number="E-7",
        full_name="Иван Петров",
        email="ivan@example.com",
        site_id=site.id,
        level=AgentLevel.CONSULTANT,
        hire_date=date(2026, 1, 12),
        user_id=agent_user.id,
    )
    db.add_all([skill, agent])
    db.commit()
    page = admin.get(f"/admin/agents/{agent.id}")
    assert "Интернет · ru · chat" in page.text
    saved = admin.post(
        f"/admin/agents/{agent.id}/skills",
        data={f"skill-{skill.id}": "4", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    db.rollback()  # reloads the agent as the app left it
    assert [(grant.skill_id, grant.proficiency) for grant in agent.skills] == [(skill.id, 4)]
    with TestClient(admin.app) as browser:
        home = sign_in(browser, agent_user.email).get("/").text
    assert "Мои навыки" in home
    assert "Чат" in home
