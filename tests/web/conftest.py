"""Helpers for driving the pages as a browser would: forms with their CSRF token, and a
real browser (Debian's Chromium driven by Playwright) against the app served by uvicorn."""

from __future__ import annotations

import json
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from html import unescape
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Page, sync_playwright
from sqlalchemy.orm import Session, sessionmaker

from frontline.auth.models import Role, User
from tests.conftest import PASSWORD, MakeUser

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token a page put into its forms."""
    found = CSRF_INPUT.search(html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


def charts_in(html: str) -> list[dict[str, Any]]:
    """The Chart.js configurations of a page's ``canvas[data-chart]`` elements, in order."""
    return [json.loads(unescape(raw)) for raw in re.findall(r'data-chart="([^"]*)"', html)]


def field_error(html: str, field: str) -> str | None:
    """The error shown beside the input ``field``, if any."""
    found = re.search(rf'<small id="f-{field}-error" class="field-error">([^<]*)</small>', html)
    return unescape(found.group(1)) if found else None


def field_value(html: str, field: str) -> str | None:
    """The value the input ``field`` shows (a text input)."""
    found = re.search(rf'name="{field}" value="([^"]*)"', html)
    return unescape(found.group(1)) if found else None


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> TestClient:
    token = csrf_of(client.get("/login").text)
    answer = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return client


SignedIn = Callable[[Role], tuple[TestClient, User]]


@pytest.fixture
def signed_in(app: FastAPI, make_user: MakeUser) -> Iterator[SignedIn]:
    """A browser-like client signed in as a new user of ``role`` (a fresh cookie jar each)."""
    opened: list[TestClient] = []

    def open_as(role: Role) -> tuple[TestClient, User]:
        user = make_user(role)
        browser = TestClient(app)
        opened.append(browser)
        return sign_in(browser, user.email), user

    yield open_as
    for browser in opened:
        browser.close()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_SECONDS = 10


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def live_server(
    app: FastAPI, session_factory: sessionmaker[Session], client: TestClient
) -> Iterator[str]:
    """The app on ``http://127.0.0.1:<free port>`` for the length of one test.

    uvicorn runs without the lifespan: ``client`` has run it already, so the router this
    app's requests wait for is the one the test client started.
    """
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=_free_port(),
        lifespan="off",
        ws="websockets-sansio",  # the web chat's sockets
        log_config=None,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{config.port}"
    server.should_exit = True
    thread.join(timeout=START_TIMEOUT_SECONDS)


@pytest.fixture
def page() -> Iterator[Page]:
    executable = shutil.which("chromium")
    assert executable is not None, "Debian's chromium package is needed"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 800})
        yield context.new_page()
        context.close()
        browser.close()
