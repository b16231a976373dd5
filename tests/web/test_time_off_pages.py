"""Time-off and schedule pages without a browser: menus per role, errors beside fields."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from frontline.auth.models import Role
from frontline.core.clock import utcnow
from tests.api import factories
from tests.web.conftest import SignedIn, csrf_of, field_error

LINKS = {
    "/my-schedule": {Role.AGENT},
    "/time-off": {Role.AGENT},
    "/time-off/pending": {Role.SUPERVISOR, Role.ADMIN},
    "/schedule": {Role.PLANNER, Role.ADMIN},
}


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_the_menu_offers_each_role_its_pages(signed_in: SignedIn, role: Role) -> None:
    browser, _ = signed_in(role)
    home = browser.get("/").text
    shown = {href for href in LINKS if f'<a href="{href}"' in home}
    assert shown == {href for href, roles in LINKS.items() if role in roles}
    for href, roles in LINKS.items():
        assert browser.get(href).status_code == (200 if role in roles else 403)


def test_a_past_day_is_refused_beside_the_day_field(signed_in: SignedIn, db: Session) -> None:
    browser, user = signed_in(Role.AGENT)
    factories.agent(db, factories.site(db), user_id=user.id)
    page = browser.get("/time-off").text
    yesterday = utcnow().date() - timedelta(days=2)
    answer = browser.post(
        "/time-off",
        data={"day": yesterday.isoformat(), "reason": "", "csrf_token": csrf_of(page)},
    )
    assert answer.status_code == 422
    assert (
        field_error(answer.text, "day")
        == "Этот день уже прошёл; выберите сегодняшний или более поздний день"
    )


def test_a_run_must_start_on_a_monday_beside_the_start_field(signed_in: SignedIn) -> None:
    browser, _ = signed_in(Role.PLANNER)
    page = browser.get("/schedule").text
    answer = browser.post(
        "/schedule",
        data={
            "start": "2030-01-08",
            "weeks": "1",
            "calls_per_day": "300",
            "time_limit_seconds": "2",
            "csrf_token": csrf_of(page),
        },
    )
    assert answer.status_code == 422
    assert field_error(answer.text, "start") == "График начинается с понедельника"
