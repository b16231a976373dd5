"""A customer talks to the assistant in one browser; an agent in another gets the chat."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.contacts.conftest import Center, caller_of, center
from tests.web.conftest import CHROMIUM_ARGS, live_server, page
from tests.web.test_browser import sign_in_page

__all__ = ["caller_of", "center", "live_server", "page"]
pytestmark = pytest.mark.browser
LIVE_TIMEOUT_MS = 15_000


@pytest.fixture
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    assert executable is not None, "Debian's chromium package is needed"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _new_page(browser: Browser) -> Page:
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    return context.new_page()


def _say(page: Page, text: str) -> None:
    page.get_by_label("Ваше сообщение").fill(text)
    page.get_by_role("button", name="Отправить").click()


def test_a_customer_finds_an_atm_then_reaches_an_agent_with_the_transcript(
    browser: Browser, live_server: str, center: Center
) -> None:
    agent = _new_page(browser)
    sign_in_page(agent, live_server, center.agent_caller.user)
    agent.goto(f"{live_server}/workspace")
    agent.get_by_role("button", name="Готов", exact=True).click()
    expect(agent.locator("#my-state")).to_have_text("Готов")

    customer = _new_page(browser)
    customer.goto(f"{live_server}/assistant")
    log = customer.get_by_role("region", name="Переписка с ассистентом")
    _say(customer, "ближайший банкомат у метро Курская")
    expect(log).to_contain_text("ул. Земляной Вал, 33")
    expect(customer.get_by_label("Ваше сообщение")).to_have_value("")
    _say(customer, "Позовите оператора, пожалуйста")
    expect(log).to_contain_text("Передаю вас оператору")

    offer = agent.get_by_role("article", name="Входящее обращение")
    expect(offer).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    offer.get_by_role("button", name="Принять").click()
    transcript = agent.get_by_role("region", name="Переписка с ассистентом")
    expect(transcript).to_contain_text("ближайший банкомат у метро Курская")
    expect(transcript).to_contain_text("Земляной Вал")
    expect(transcript).to_contain_text("Позовите оператора")


def test_an_empty_message_is_refused_beside_the_field(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/assistant")
    page.get_by_label("Ваше сообщение").fill("   ")
    page.get_by_role("button", name="Отправить").click()
    expect(page.locator("#assistant-text-error")).to_be_visible()
