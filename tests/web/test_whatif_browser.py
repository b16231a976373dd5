"""The what-if page in a real browser: a planner sets a change, runs it, and reads the
baseline and the what-if side by side, with the charts drawn."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from frontline.auth.models import Role
from tests.conftest import MakeUser
from tests.web.test_browser import sign_in_page

pytestmark = pytest.mark.browser

RUN_TIMEOUT_MS = 120_000


def test_a_planner_compares_a_surge_with_the_baseline(
    page: Page, live_server: str, make_user: MakeUser
) -> None:
    planner = make_user(Role.PLANNER)
    sign_in_page(page, live_server, planner)
    page.get_by_role("link", name="Что если").click()
    expect(page.get_by_role("heading", name="Что если")).to_be_visible()
    page.get_by_label("Пример дня").select_option("morning-three-queues")
    page.get_by_label("Нагрузка, больше на %").fill("30")
    page.get_by_label("Операторов меньше на").fill("3")
    page.get_by_label("Повторов").fill("3")
    page.get_by_role("button", name="Рассчитать").click()

    summary = page.locator("#what-if-summary")
    expect(summary).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(summary.get_by_role("columnheader", name="Как есть")).to_be_visible()
    expect(summary.get_by_role("columnheader", name="Что если")).to_be_visible()
    # Thirty per cent more calls: every queue is offered more, and the difference shows.
    offered = summary.locator("tr", has_text="Предложено")
    expect(offered).to_have_count(3)
    for index in range(3):
        expect(offered.nth(index).locator("td.difference")).to_contain_text("+")
    occupancy = summary.locator("tr", has_text="Занятость").locator("td.difference")
    expect(occupancy).to_contain_text("+")

    canvases = page.locator("canvas[data-chart]")
    expect(canvases).to_have_count(4)
    # charts.js draws each chart: Chart.js sizes the canvas and keeps its chart instance.
    page.wait_for_function(
        "() => [...document.querySelectorAll('canvas[data-chart]')]"
        ".every((c) => window.Chart && window.Chart.getChart(c))"
    )


def test_a_bad_number_is_named_beside_its_field(
    page: Page, live_server: str, make_user: MakeUser
) -> None:
    sign_in_page(page, live_server, make_user(Role.SUPERVISOR))
    page.goto(f"{live_server}/what-if")
    page.get_by_label("Повторов").fill("1")
    page.get_by_role("button", name="Рассчитать").click()
    expect(page.locator("#f-replications-error")).to_be_visible()
    expect(page.get_by_label("Повторов")).to_have_attribute("aria-invalid", "true")
