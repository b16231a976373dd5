"""A person's path through the admin pages in a real browser.

Debian's Chromium, driven by Playwright, talks to the app served by uvicorn on a free
loopback port; the database is the test's (SQLite and PostgreSQL, like every test).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from frontline.auth.models import Role, User
from frontline.org.models import Site
from tests.conftest import PASSWORD, MakeUser

pytestmark = pytest.mark.browser


def sign_in_page(page: Page, base: str, user: User) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Электронная почта").fill(user.email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()


def test_admin_adds_an_agent_who_then_cannot_open_admin_pages(
    page: Page, live_server: str, db: Session, make_user: MakeUser, tmp_path: Path
) -> None:
    admin = make_user(Role.ADMIN)
    agent_account = make_user(Role.AGENT)
    db.add(
        Site(
            code="EKB",
            name="Екатеринбург",
            city="Екатеринбург",
            country="RU",
            time_zone="Asia/Yekaterinburg",
        )
    )
    db.commit()

    sign_in_page(page, live_server, admin)
    expect(page.get_by_role("heading", name="Администрирование")).to_be_visible()

    page.goto(f"{live_server}/admin/agents/new")
    page.get_by_label("Табельный номер").fill("E-1042")
    page.get_by_label("ФИО").fill("Мария Кузнецова")
    page.get_by_label("Электронная почта").fill("maria@example.com")
    page.get_by_label("Площадка").select_option(label="Екатеринбург")
    page.get_by_label("Дата приёма").fill(date(2026, 2, 2).isoformat())
    page.get_by_label("Учётная запись").select_option(label=agent_account.email)
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("status")).to_contain_text("Сохранено: Мария Кузнецова")

    search = page.get_by_role("searchbox", name="Найти")
    search.fill("нет такого")
    expect(page.locator("#rows")).to_contain_text("Ничего не найдено")
    search.fill("кузнец")
    expect(page.locator("#rows")).to_contain_text("Мария Кузнецова")
    expect(page).to_have_url(
        f"{live_server}/admin/agents?q=%D0%BA%D1%83%D0%B7%D0%BD%D0%B5%D1%86&active="
    )
    page.screenshot(path=tmp_path / "agent-list.png", full_page=True)

    page.get_by_role("button", name="Выйти").click()
    expect(page.get_by_role("heading", name="Вход во Frontline")).to_be_visible()

    sign_in_page(page, live_server, agent_account)
    expect(page.get_by_role("heading", name="Мой профиль")).to_be_visible()
    page.goto(f"{live_server}/admin/sites")
    expect(page.get_by_role("heading", name="Нет доступа")).to_be_visible()


def test_admin_registers_a_customer_and_an_agent_sees_the_phone_masked(
    page: Page, live_server: str, make_user: MakeUser
) -> None:
    admin = make_user(Role.ADMIN)
    agent_account = make_user(Role.AGENT)

    sign_in_page(page, live_server, admin)
    page.goto(f"{live_server}/customers")
    page.get_by_role("button", name="Новый клиент").click()
    page.get_by_label("ФИО или название организации").fill("Иванов Пётр Сергеевич")
    page.get_by_label("ИНН").fill("123")
    page.get_by_label("Телефоны").fill("8 912 345-67-89")
    page.get_by_role("button", name="Сохранить").click()
    # Refused: the message stands next to the field and the typed phone is kept.
    expect(page.locator('form[action="/customers/new"]')).to_contain_text("Неверный ИНН")
    expect(page.get_by_label("Телефоны")).to_have_value("8 912 345-67-89")

    page.get_by_label("ИНН").fill("")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("status")).to_contain_text("Иванов Пётр Сергеевич")
    expect(page.locator("main")).to_contain_text("+79123456789")

    page.get_by_role("button", name="Выйти").click()
    sign_in_page(page, live_server, agent_account)
    page.goto(f"{live_server}/customers")
    page.get_by_label("Телефон", exact=True).fill("+7 912 345 67 89")
    page.get_by_role("button", name="Найти").click()
    rows = page.locator("#rows")
    expect(rows).to_contain_text("Иванов Пётр Сергеевич")
    expect(rows).to_contain_text("+7912*****89")
    expect(rows).not_to_contain_text("+79123456789")
