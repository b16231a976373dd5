"""A supervisor publishes; the help center finds the public article and not the internal one."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from frontline.auth.models import Role
from tests.conftest import MakeUser
from tests.knowledge.factories import add_demo_products
from tests.web.test_browser import sign_in_page

pytestmark = pytest.mark.browser


def _write_and_publish(page: Page, base: str, title: str, visibility: str) -> None:
    page.goto(f"{base}/kb/new")
    page.get_by_label("Заголовок").fill(title)
    page.get_by_label("Продукт").select_option(label="Электронная подпись")
    page.get_by_label("Язык").select_option("ru")
    page.get_by_label("Видимость").select_option(label=visibility)
    page.get_by_label("Текст (Markdown)").fill(
        "Откройте раздел **Сертификаты** и нажмите «Продлить»."
    )
    expect(page.locator("#preview strong")).to_have_text("Сертификаты")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    page.get_by_role("button", name="Опубликовать").click()
    expect(page.get_by_text("Опубликована")).to_be_visible()


def test_a_published_article_is_found_on_the_help_center_and_an_internal_one_is_not(
    page: Page, live_server: str, db: Session, make_user: MakeUser
) -> None:
    add_demo_products(db)
    supervisor = make_user(Role.SUPERVISOR)
    sign_in_page(page, live_server, supervisor)
    _write_and_publish(page, live_server, "Продление сертификата подписи", "Публичная")
    _write_and_publish(page, live_server, "Продление сертификата: заметки операторов", "Внутренняя")

    page.get_by_role("button", name="Выйти").click()
    page.goto(f"{live_server}/help")
    page.get_by_label("Опишите ваш вопрос").fill("продлить сертификат")
    page.get_by_role("button", name="Найти").click()
    expect(page.get_by_role("link", name="Продление сертификата подписи")).to_be_visible()
    expect(
        page.get_by_role("link", name="Продление сертификата: заметки операторов")
    ).to_have_count(0)
