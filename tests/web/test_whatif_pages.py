"""The what-if page without a browser: who may open it, bad input named by field, and a
finished run comparing the baseline with the change."""

from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient

from frontline.auth.models import Role
from tests.web.conftest import SignedIn, charts_in, csrf_of, field_error

DAY = "morning-three-queues"
WAIT_SECONDS = 120.0


def form(**change: str) -> dict[str, str]:
    return {
        "day": DAY,
        "volume_percent": "0",
        "aht_seconds": "0",
        "fewer_agents": "0",
        "overflow_queue": "",
        "overflow_after_seconds": "30",
        "overflow_skill": "",
        "replications": "2",
    } | change


def post(browser: TestClient, **change: str) -> tuple[int, str, str]:
    token = csrf_of(browser.get("/what-if").text)
    answer = browser.post(
        "/what-if", data={**form(**change), "csrf_token": token}, follow_redirects=False
    )
    return answer.status_code, answer.text, answer.headers.get("location", "")


def finished(browser: TestClient, location: str) -> str:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        html = browser.get(location).text
        if 'id="what-if-summary"' in html or "note error" in html:
            return html
        assert time.monotonic() < deadline, "the what-if run did not finish"
        time.sleep(0.2)


@pytest.mark.parametrize("role", list(Role))
def test_planners_and_supervisors_only(signed_in: SignedIn, role: Role) -> None:
    browser, _ = signed_in(role)
    allowed = role in {Role.PLANNER, Role.SUPERVISOR, Role.ADMIN}
    assert browser.get("/what-if").status_code == (200 if allowed else 403)
    assert ('href="/what-if"' in browser.get("/").text) is allowed


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"volume_percent": "-150"}, "volume_percent"),
        ({"aht_seconds": "many"}, "aht_seconds"),
        ({"fewer_agents": "1000"}, "fewer_agents"),
        ({"aht_seconds": "-3000"}, "aht_seconds"),
        ({"overflow_queue": "nowhere", "overflow_skill": "billing"}, "overflow_queue"),
        ({"overflow_queue": "outages", "overflow_skill": "cooking"}, "overflow_skill"),
        ({"overflow_queue": "outages"}, "overflow_skill"),
        ({"replications": "1"}, "replications"),
        ({"day": "no-such-day"}, "day"),
    ],
)
def test_bad_input_is_422_naming_the_field(
    signed_in: SignedIn, change: dict[str, str], field: str
) -> None:
    browser, _ = signed_in(Role.PLANNER)
    status, html, _ = post(browser, **change)
    assert status == 422
    assert field_error(html, field), html
    # What was typed stays in the form.
    for name, value in change.items():
        if name != "day":
            assert f'name="{name}" value="{value}"' in html


def test_a_bad_scenario_file_is_named(signed_in: SignedIn) -> None:
    browser, _ = signed_in(Role.PLANNER)
    token = csrf_of(browser.get("/what-if").text)
    answer = browser.post(
        "/what-if",
        data={**form(), "csrf_token": token},
        files={"scenario_file": ("bad.toml", b"replications = 3\nseed = -1\n", "text/plain")},
    )
    assert answer.status_code == 422
    message = field_error(answer.text, "scenario_file")
    assert message is not None and "line 2: seed" in message


def test_an_overflow_rule_is_compared_with_the_baseline(signed_in: SignedIn) -> None:
    browser, _ = signed_in(Role.SUPERVISOR)
    status, _, location = post(
        browser, overflow_queue="outages", overflow_skill="billing", replications="3"
    )
    assert status == 303
    assert location.startswith("/what-if/runs/")
    html = finished(browser, location)
    rows = re.findall(
        r"<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*<td class=\"baseline\">(.*?)</td>\s*"
        r"<td class=\"variant\">(.*?)</td>\s*<td class=\"difference\">(.*?)</td>",
        html,
        re.S,
    )
    by_key = {
        (queue, figure.split(",")[0]): (base, variant, diff)
        for queue, figure, base, variant, diff in rows
    }
    assert len(rows) == 3 * 4 + 1
    # The same callers in both runs: where nobody calls back (billing's abandoned callers
    # retry), an overflow rule changes no queue's offered calls...
    for queue in ("outages", "sales"):
        assert by_key[(queue, "Предложено")][0] == by_key[(queue, "Предложено")][1]
    # ...but outage callers are answered sooner once billing agents may take them.
    assert by_key[("outages", "Уровень сервиса")][2].startswith("+")
    charts = charts_in(html)
    assert len(charts) == 4
    assert len(charts[0]["data"]["datasets"]) == 6  # three queues, baseline and what-if
    assert charts[0]["data"]["labels"][:2] == ["08:00", "08:15"]
