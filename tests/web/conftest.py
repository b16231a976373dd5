"""Helpers for driving the pages as a browser would: forms with their CSRF token."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html import unescape

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from frontline.auth.models import Role, User
from tests.conftest import PASSWORD, MakeUser

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token a page put into its forms."""
    found = CSRF_INPUT.search(html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


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
