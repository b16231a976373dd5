"""Time off to published schedule in a real browser: an agent asks for a day off, a
supervisor approves it, a planner runs scheduling and publishes, the agent sees the day.

Uses the live server and Chromium of ``test_browser.py``; one small scenario (five
agents, one week, a few seconds of solver time).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from frontline.auth.models import Role, User
from frontline.core.clock import utcnow
from tests.api import factories
from tests.conftest import MakeUser
from tests.web.test_browser import sign_in_page

pytestmark = pytest.mark.browser

RUN_TIMEOUT_MS = 90_000


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Выйти").click()
    expect(page.get_by_role("button", name="Войти")).to_be_visible()


@pytest.fixture
def center(db: Session, make_user: MakeUser) -> Iterator[User]:
    """Five agents in Moscow; the first is the one who signs in."""
    account = make_user(Role.AGENT)
    with factories.one_commit(db):
        moscow = factories.site(db, code="MSK", name="Москва", time_zone="Europe/Moscow")
        factories.agent(db, moscow, user_id=account.id, full_name="Анна Смирнова")
        for _ in range(4):
            factories.agent(db, moscow)
    yield account


def test_a_day_off_goes_from_request_to_the_published_schedule(
    page: Page, live_server: str, center: User, make_user: MakeUser
) -> None:
    today = utcnow().date()
    # A Monday more than a week ahead: the request is timely, so it must be honoured.
    start = today + timedelta(days=14 - today.weekday())
    day_off = start + timedelta(days=2)
    supervisor, planner = make_user(Role.SUPERVISOR), make_user(Role.PLANNER)

    sign_in_page(page, live_server, center)
    page.get_by_role("link", name="Выходные по заявке").click()
    page.get_by_label("День").fill(day_off.isoformat())
    page.get_by_label("Причина").fill("Свадьба сестры")
    page.get_by_role("button", name="Попросить выходной").click()
    expect(page.get_by_role("status")).to_contain_text("Заявка подана")
    expect(page.get_by_role("cell", name="Ждёт решения")).to_be_visible()
    _sign_out(page)

    sign_in_page(page, live_server, supervisor)
    page.get_by_role("link", name="Заявки на выходные").click()
    expect(page.get_by_role("cell", name="Свадьба сестры")).to_be_visible()
    page.get_by_role("button", name="Одобрить").click()
    expect(page.get_by_role("status")).to_contain_text("Одобрено: Анна Смирнова")
    _sign_out(page)

    sign_in_page(page, live_server, planner)
    page.get_by_role("link", name="График", exact=True).click()
    page.get_by_label("Первый день (понедельник)").fill(start.isoformat())
    page.get_by_role("spinbutton", name="Недель").fill("1")
    page.get_by_label("Звонков в самый загруженный день").fill("300")
    page.get_by_label("Время решателя, секунд").fill("4")
    page.get_by_role("button", name="Рассчитать график").click()
    # The page polls the run with htmx and reloads itself once it is finished.
    expect(page.get_by_role("button", name="Опубликовать")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(page.locator("#run-status")).to_have_text("Завершено")
    expect(page.get_by_role("cell", name="Учтена")).to_be_visible()
    page.get_by_role("button", name="Опубликовать").click()
    expect(page.get_by_role("status")).to_contain_text("Опубликовано")
    _sign_out(page)

    sign_in_page(page, live_server, center)
    page.get_by_role("link", name="Мой график").click()
    row = page.locator("tr.day-off")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Выходной")
    expect(row).to_contain_text(_russian_medium_date(day_off))
    calendar = page.request.get(f"{live_server}/my-schedule.ics")
    assert calendar.headers["content-type"].startswith("text/calendar")
    body = calendar.text()
    assert "BEGIN:VCALENDAR" in body
    assert "SUMMARY:Выходной" in body
    # Moscow is UTC+3: the day off starts at 21:00 UTC the day before.
    assert f"DTSTART:{(day_off - timedelta(days=1)):%Y%m%d}T210000Z" in body


def _russian_medium_date(day: date) -> str:
    return format_date(day, "medium", locale="ru")
