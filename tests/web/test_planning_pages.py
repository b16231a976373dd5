"""The planner page and the adherence page over HTTP: who opens them, what-if recomputing,
bad inputs named, roster filters, XLSX downloads (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from openpyxl import load_workbook  # type: ignore[import-untyped]
from sqlalchemy.orm import Session

from frontline.auth.models import Role
from frontline.org.models import Team
from frontline.routing.models import AgentStateSpan
from frontline.wfm.planning import WhatIf, day_forecast, what_if_plan
from tests.api import factories
from tests.web.conftest import SignedIn, charts_in, field_error

DAY = date(2026, 11, 3)  # a Tuesday inside the example history
MONDAY = date(2026, 11, 2)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


@dataclass(frozen=True)
class Center:
    alpha: Team
    beta: Team
    run_id: int


def planning_center(db: Session) -> Center:
    """Moscow with teams Alpha (two agents) and Beta (one); a published week from MONDAY
    where each works 06:00-14:00 UTC on DAY with a break 09:00-09:30."""
    with factories.one_commit(db):
        moscow = factories.site(db, code="MSK", time_zone="Europe/Moscow")
        alpha = factories.team(db, moscow, name="Alpha")
        beta = factories.team(db, moscow, name="Beta")
        agents = [
            factories.agent(db, moscow, team_id=alpha.id, full_name="Anna Alpha"),
            factories.agent(db, moscow, team_id=alpha.id, full_name="Boris Alpha"),
            factories.agent(db, moscow, team_id=beta.id, full_name="Vera Beta"),
        ]
        planner = factories.user(db, Role.PLANNER)
        run = factories.schedule_run(
            db, planner, start=MONDAY, status="done", published_at=at(0, day=date(2026, 10, 20))
        )
        for agent in agents:
            factories.work_shift(db, run, agent, (at(6), at(14)), ((at(9), at(9, 30)),))
        db.add(
            AgentStateSpan(agent_id=agents[0].id, state="ready", started_at=at(6), ended_at=at(14))
        )
    return Center(alpha, beta, run.id)


def _number(html: str, element_id: str) -> int:
    found = re.search(rf'id="{element_id}">([^<]*)<', html)
    assert found is not None, element_id
    return int(found.group(1))


def test_only_planners_open_the_planning_page(signed_in: SignedIn) -> None:
    for role in Role:
        browser, _ = signed_in(role)
        expected = 200 if role in {Role.PLANNER, Role.ADMIN} else 403
        assert browser.get("/planning").status_code == expected, role


def test_what_if_recomputes_required_agents_as_the_plan_core_does(
    db: Session, signed_in: SignedIn
) -> None:
    planning_center(db)
    planner, _ = signed_in(Role.PLANNER)
    loose = planner.get("/planning", params={"day": DAY.isoformat(), "service_target": "0.5"})
    strict = planner.get("/planning", params={"day": DAY.isoformat(), "service_target": "0.95"})
    assert loose.status_code == strict.status_code == 200
    queues = ("billing", "general", "tax-reporting")
    forecasts = {name: day_forecast(name, DAY) for name in queues}
    for answer, target in ((loose, 0.5), (strict, 0.95)):
        plan = what_if_plan(forecasts, WhatIf(service_level_target=target))
        expected = max(
            sum(int(queue.agents[index]) for queue in plan.queues) for index in range(48)
        )
        assert _number(answer.text, "required-peak") == expected
    assert _number(strict.text, "required-peak") > _number(loose.text, "required-peak")
    staffing, forecast = charts_in(strict.text)
    datasets = staffing["data"]["datasets"]
    # Three agents on the phones 06:00-14:00 UTC (09:00-17:00 in Moscow) but the break.
    scheduled = datasets[2]["data"]
    assert scheduled[18] == 3 and scheduled[24] == 0 and scheduled[17] == 0
    # The actual comes from the example history of the day.
    actual = forecast["data"]["datasets"][0]["data"]
    assert actual == [float(v) for v in forecasts["billing"].example_actual]  # type: ignore[union-attr]


def test_bad_what_if_inputs_are_named(signed_in: SignedIn) -> None:
    planner, _ = signed_in(Role.PLANNER)
    answer = planner.get("/planning", params={"service_target": "1.5", "aht_seconds": "-3"})
    assert answer.status_code == 422
    assert field_error(answer.text, "service_target")
    assert field_error(answer.text, "aht_seconds")
    assert field_error(answer.text, "shrinkage") is None
    download = planner.get("/planning/plan.xlsx", params={"shrinkage": "1"})
    assert download.status_code == 422 and "shrinkage" in download.text


def test_the_roster_filters_by_team_and_downloads_as_xlsx(db: Session, signed_in: SignedIn) -> None:
    center = planning_center(db)
    planner, _ = signed_in(Role.PLANNER)
    whole = planner.get("/planning", params={"day": DAY.isoformat()}).text
    assert "Vera Beta" in whole and "Anna Alpha" in whole
    params = {"day": DAY.isoformat(), "team": str(center.beta.id), "roster_day": DAY.isoformat()}
    only_beta = planner.get("/planning", params=params).text
    assert "Vera Beta" in only_beta and "Anna Alpha" not in only_beta
    download = planner.get("/planning/roster.xlsx", params=params)
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("agent", "team", "site", "day")
    assert [row[:5] for row in rows[1:]] == [("Vera Beta", "Beta", "MSK", DAY.isoformat(), "work")]
    plan = planner.get("/planning/plan.xlsx", params={"day": DAY.isoformat()})
    book = load_workbook(io.BytesIO(plan.content))
    assert book.sheetnames == ["intervals", "pools", "sites", "salaries"]
    # 48 half hours of the three example queues, and the header.
    assert book["intervals"].max_row == 3 * 48 + 1


def test_the_adherence_page_shows_the_day_and_refuses_agents(
    db: Session, signed_in: SignedIn, client: TestClient
) -> None:
    planning_center(db)
    supervisor, _ = signed_in(Role.SUPERVISOR)
    page = supervisor.get("/adherence", params={"date": DAY.isoformat()})
    assert page.status_code == 200
    assert 'data-events="/adherence/events?date=2026-11-03"' in page.text
    part = supervisor.get("/adherence/parts/board", params={"date": DAY.isoformat()}).text
    # Anna was ready the whole shift, but for her break: 7.5 of 8 hours kept.
    anna = re.search(r"Anna Alpha</th>(.*?)</tr>", part, re.S)
    assert anna is not None and "93,8" in anna.group(1)
    bad = supervisor.get("/adherence", params={"date": "2026-13-01"})
    assert bad.status_code == 422 and "ГГГГ-ММ-ДД" in bad.text
    agent, _ = signed_in(Role.AGENT)
    assert agent.get("/adherence").status_code == 403
    assert client.get("/adherence/events").status_code == 403
    assert (DAY - timedelta(days=1)).isoformat() not in page.text.split("data-events")[1][:40]
