"""The adherence page in a real browser: an agent logged out during a shift is an
exception, and the page drops it by itself once the agent is ready again."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from frontline.auth.models import Role
from frontline.core.clock import utcnow
from frontline.routing.models import AgentStateSpan
from tests.api import factories
from tests.conftest import MakeUser
from tests.web.test_browser import sign_in_page

pytestmark = pytest.mark.browser

# The stream polls every five seconds; the part is fetched again after that.
LIVE_TIMEOUT_MS = 20_000


def test_a_supervisor_sees_an_exception_come_and_go_without_reloading(
    page: Page, live_server: str, db: Session, make_user: MakeUser
) -> None:
    now = utcnow()
    today = now.date()
    midnight = datetime.combine(today, time(), tzinfo=now.tzinfo)
    # On a site on UTC, a shift that started up to an hour ago and lasts past now.
    start = max(midnight, now - timedelta(hours=1))
    with factories.one_commit(db):
        site = factories.site(db, code="UTC1", time_zone="UTC")
        team = factories.team(db, site, name="Gamma")
        agent = factories.agent(db, site, team_id=team.id, full_name="Gleb Gamma")
        planner = factories.user(db, Role.PLANNER)
        run = factories.schedule_run(
            db,
            planner,
            start=today - timedelta(days=today.weekday()),
            status="done",
            published_at=now - timedelta(days=3),
        )
        factories.work_shift(db, run, agent, (start, now + timedelta(hours=3)))
    supervisor = make_user(Role.SUPERVISOR)
    sign_in_page(page, live_server, supervisor)
    page.get_by_role("link", name="Соблюдение графика").click()
    page.goto(f"{live_server}/adherence?date={today.isoformat()}")
    exceptions = page.locator(".adherence-exceptions")
    if now - start >= timedelta(minutes=5):
        expect(exceptions).to_contain_text("Gleb Gamma")
        expect(exceptions).to_contain_text("Не в системе")

    db.add(AgentStateSpan(agent_id=agent.id, state="ready", started_at=utcnow()))
    db.commit()
    expect(exceptions).not_to_contain_text("Gleb Gamma", timeout=LIVE_TIMEOUT_MS)
    expect(exceptions).to_contain_text("Отклонений нет", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator(".adherence-agents")).to_contain_text("Gleb Gamma")
