"""The planner page in a real browser: what-if changes the required agents, the roster is
filtered by team, and the roster downloads as a workbook with its rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from frontline.auth.models import Role
from tests.conftest import MakeUser
from tests.web.test_browser import sign_in_page
from tests.web.test_planning_pages import DAY, planning_center

pytestmark = pytest.mark.browser


def test_a_planner_tries_a_service_target_filters_the_roster_and_downloads_it(
    page: Page, live_server: str, db: Session, make_user: MakeUser, tmp_path: Path
) -> None:
    planning_center(db)
    planner = make_user(Role.PLANNER)
    sign_in_page(page, live_server, planner)
    page.get_by_role("link", name="Планирование").click()
    page.locator("#what-if").get_by_label("День").fill(DAY.isoformat())
    page.get_by_role("button", name="Пересчитать").click()
    peak = page.locator("#required-peak")
    before = int(peak.inner_text())
    expect(page.locator("canvas[data-chart]")).to_have_count(2)

    page.get_by_label("Целевой уровень обслуживания (доля звонков, 0–1)").fill("0.95")
    page.get_by_role("button", name="Пересчитать").click()
    expect(page.get_by_label("Целевой уровень обслуживания (доля звонков, 0–1)")).to_have_value(
        "0.95"
    )
    assert int(peak.inner_text()) > before

    grid = page.locator("#roster-grid")
    expect(grid).to_contain_text("Anna Alpha")
    page.locator("#roster-filters").get_by_label("Команда").select_option(label="Beta")
    page.locator("#roster-filters").get_by_role("button", name="Отобрать").click()
    expect(grid).to_contain_text("Vera Beta")
    expect(grid).not_to_contain_text("Anna Alpha")
    # The what-if input survives the filter.
    expect(page.get_by_label("Целевой уровень обслуживания (доля звонков, 0–1)")).to_have_value(
        "0.95"
    )

    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать график (XLSX)").click()
    saved = tmp_path / "roster.xlsx"
    download.value.save_as(saved)
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("agent", "team", "site")
    # Beta's one agent has one shift that week.
    assert [row[:3] for row in rows[1:]] == [("Vera Beta", "Beta", "MSK")]

    # A bad target is refused beside its field.
    page.get_by_label("Целевой уровень обслуживания (доля звонков, 0–1)").fill("1.5")
    page.get_by_role("button", name="Пересчитать").click()
    expect(page.locator("#f-service_target-error")).to_be_visible()
