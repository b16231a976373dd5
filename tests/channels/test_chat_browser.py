"""The chat widget on a plain HTML page talks to an agent in the workspace, in two browsers.

The page is served by the test from another origin, as a customer's site would be; it
holds nothing but the one ``<script>`` tag. The customer's connection is then cut by the
server while the browser is offline: what both sides wrote meanwhile arrives once.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi import FastAPI
from playwright.sync_api import BrowserContext, Page, expect

from frontline.web.chat_ws import Hub
from tests.contacts.conftest import Center, caller_of, center
from tests.web.conftest import live_server, page
from tests.web.test_browser import sign_in_page

__all__ = ["caller_of", "center", "live_server", "page"]  # fixtures, for this folder too

pytestmark = pytest.mark.browser
LIVE_TIMEOUT_MS = 15_000


@pytest.fixture
def shop(live_server: str, center: Center) -> Iterator[str]:
    """A customer's web site on its own port: one heading and the widget's tag."""
    html = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Shop</title></head><body>"
        "<h1>Our shop</h1>"
        f"<script src='{live_server}/static/chat-widget.js' "
        f"data-queue='{center.chat_queue.code}' defer></script></body></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


def drop_customer(app: FastAPI) -> None:
    """Close the widget's socket from the server's side, as a network drop would."""
    hub: Hub = app.state.chat_hub
    for connections in list(hub.connections.values()):
        for connection in list(connections):
            if connection.side == "customer":
                asyncio.run_coroutine_threadsafe(
                    connection.websocket.close(1012), connection.loop
                ).result(5)


def test_a_customer_chats_with_an_agent_and_survives_a_dropped_connection(
    center: Center, live_server: str, page: Page, shop: str, app: FastAPI
) -> None:
    sign_in_page(page, live_server, center.agent_caller.user)
    page.get_by_role("link", name="Рабочее место").click()
    page.get_by_role("button", name="Готов", exact=True).click()
    expect(page.locator("#my-state")).to_have_text("Готов")

    assert page.context.browser is not None
    customer_context: BrowserContext = page.context.browser.new_context(locale="ru-RU")
    try:
        widget = customer_context.new_page()
        widget.goto(shop)
        widget.get_by_role("button", name="Чат с поддержкой").click()
        widget.get_by_label("Ваше имя").fill("Ivan")
        widget.get_by_label("Ваш вопрос").fill("My invoice is wrong")
        widget.get_by_role("button", name="Начать чат").click()
        customer_log = widget.locator(".fl-log")
        expect(customer_log).to_contain_text("My invoice is wrong")

        offer = page.get_by_role("article", name="Входящее обращение")
        expect(offer).to_be_visible(timeout=LIVE_TIMEOUT_MS)
        offer.get_by_role("button", name="Принять").click()
        panel = page.get_by_role("region", name="Чат с клиентом")
        agent_log = panel.locator(".chat-log")
        expect(agent_log).to_contain_text("Ivan: My invoice is wrong", timeout=LIVE_TIMEOUT_MS)
        expect(widget.get_by_role("status")).to_contain_text("на связи", timeout=LIVE_TIMEOUT_MS)

        panel.get_by_label("Сообщение клиенту").fill("Let me check")
        panel.get_by_role("button", name="Отправить").click()
        expect(customer_log).to_contain_text("Let me check", timeout=LIVE_TIMEOUT_MS)
        widget.get_by_label("Сообщение").press("x")
        expect(panel.get_by_role("status")).to_have_text("Клиент печатает…")
        widget.get_by_label("Сообщение").fill("<b>not bold</b>")
        widget.get_by_role("button", name="Отправить").click()
        expect(agent_log).to_contain_text("Ivan: <b>not bold</b>", timeout=LIVE_TIMEOUT_MS)
        assert agent_log.locator("b", has_text="not bold").count() == 0

        # The network goes; the server sees the socket close. Both sides write meanwhile.
        customer_context.set_offline(True)
        drop_customer(app)
        expect(widget.get_by_role("status")).to_have_text("Нет связи, переподключаемся…")
        widget.get_by_label("Сообщение").fill("written while offline")
        widget.get_by_role("button", name="Отправить").click()
        panel.get_by_label("Сообщение клиенту").fill("sent while you were away")
        panel.get_by_role("button", name="Отправить").click()
        expect(agent_log).to_contain_text("sent while you were away")
        customer_context.set_offline(False)

        expect(customer_log).to_contain_text("sent while you were away", timeout=LIVE_TIMEOUT_MS)
        expect(agent_log).to_contain_text("written while offline", timeout=LIVE_TIMEOUT_MS)
        expect(customer_log.locator("li.fl-pending")).to_have_count(0, timeout=LIVE_TIMEOUT_MS)
        customer_lines = customer_log.locator("li").all_inner_texts()
        agent_lines = agent_log.locator("li").all_inner_texts()
        for text in ("My invoice is wrong", "Let me check", "written while offline"):
            assert sum(text in line for line in customer_lines) == 1, customer_lines
            assert sum(text in line for line in agent_lines) == 1, agent_lines
        assert len(customer_lines) == len(agent_lines) == 5

        widget.get_by_role("button", name="Завершить чат").click()
        expect(widget.get_by_role("status")).to_have_text("Чат завершён", timeout=LIVE_TIMEOUT_MS)
        wrap_up = page.get_by_role("form", name="Постобработка")
        expect(wrap_up).to_be_visible(timeout=LIVE_TIMEOUT_MS)
        wrap_up.get_by_label("Причина", exact=True).select_option(label="Invoice question")
        wrap_up.get_by_role("button", name="Сохранить итоги").click()
        expect(page.get_by_text("Нет обращений в работе.")).to_be_visible()
    finally:
        customer_context.close()
