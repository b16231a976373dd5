"""The live pages in a real browser: what the router does shows up without a reload.

A call is posted by a test "PBX" through the signed CTI API while the page is open; the
page must change by itself (its Server-Sent Events stream), which the tests check by
leaving a mark on the page's ``window`` that a reload would wipe.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from frontline.auth.models import Role
from tests.conftest import MakeUser
from tests.contacts.conftest import Center, caller_of, center
from tests.contacts.test_cti import offered, pbx, post
from tests.contacts.test_loop import ok
from tests.web.test_browser import sign_in_page

__all__ = ["caller_of", "center", "pbx"]

pytestmark = pytest.mark.browser

# The stream polls every 0.5 s (workspace) or 2 s (wallboard); a loaded CI machine is slower.
LIVE_TIMEOUT_MS = 15_000


def _mark(page: Page) -> None:
    page.evaluate("window.notReloaded = true")


def _still_marked(page: Page) -> bool:
    return bool(page.evaluate("window.notReloaded === true"))


def test_an_agent_gets_a_call_without_reloading_and_wraps_it_up(
    pbx: TestClient, center: Center, live_server: str, page: Page
) -> None:
    sign_in_page(page, live_server, center.agent_caller.user)
    page.get_by_role("link", name="Рабочее место").click()
    page.get_by_role("button", name="Готов", exact=True).click()
    expect(page.locator("#my-state")).to_have_text("Готов")

    _mark(page)
    answer = ok(post(pbx, offered("browser-1")))
    assert answer["agent_id"] == center.agent.id
    offer = page.get_by_role("article", name="Входящее обращение")
    expect(offer).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(offer).to_contain_text("+79123456789")
    expect(page.locator("#my-state")).to_have_text("Предложено")
    assert _still_marked(page)

    offer.get_by_role("button", name="Принять").click()
    expect(page.get_by_role("heading", name="Недавние обращения")).to_be_visible()
    expect(page.locator("#my-state")).to_have_text("Занят")
    page.get_by_role("button", name="Завершить обращение").click()

    wrap_up = page.get_by_role("form", name="Постобработка")
    wrap_up.get_by_label("Причина", exact=True).select_option(label="Invoice question")
    wrap_up.get_by_label("Результат").select_option("resolved")
    wrap_up.get_by_label("Заметки").fill("Explained the invoice")
    wrap_up.get_by_role("button", name="Сохранить итоги").click()
    expect(page.get_by_text("Нет обращений в работе.")).to_be_visible()
    expect(page.locator("#my-handled")).to_have_text("1")
    expect(page.locator("#my-state")).to_have_text("Готов")


def test_the_wallboard_counts_a_new_call_without_reloading(
    pbx: TestClient, center: Center, live_server: str, page: Page, make_user: MakeUser
) -> None:
    sign_in_page(page, live_server, make_user(Role.SUPERVISOR))
    page.get_by_role("link", name="Табло").click()
    waiting = page.locator("#wb-waiting")
    expect(waiting).to_have_text("0")

    _mark(page)
    assert ok(post(pbx, offered("browser-2")))["status"] == "waiting"  # nobody is ready
    expect(waiting).to_have_text("1", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator(".wb-queues tbody tr").first).to_contain_text(center.queue.code)
    assert _still_marked(page)
