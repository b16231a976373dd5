"""Adherence of a day from published shifts and state spans (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from frontline.auth.models import Role
from frontline.people.models import Agent
from frontline.routing.models import AgentStateSpan
from frontline.schedules.adherence import day_adherence
from frontline.schedules.models import ScheduledShift, ShiftKind
from tests.api import factories
from tests.conftest import ApiAs

DAY = date(2025, 3, 4)  # a Tuesday, long past: every second of it has elapsed


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    """UTC; Moscow is UTC+3, so 06:00 UTC is 09:00 on the site's clock."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _span(
    agent: Agent, start: datetime, end: datetime | None, state: str, reason: str | None = None
) -> AgentStateSpan:
    return AgentStateSpan(
        agent_id=agent.id, state=state, reason=reason, started_at=start, ended_at=end
    )


def _center(db: Session) -> tuple[Agent, Agent, Agent]:
    """Two agents of team Alpha and one of Beta, one published run with 8-hour shifts
    06:00-14:00 UTC and a break 09:00-09:30; the Beta agent has the day off."""
    with factories.one_commit(db):
        moscow = factories.site(db, code="MSK", time_zone="Europe/Moscow")
        alpha = factories.team(db, moscow, name="Alpha")
        beta = factories.team(db, moscow, name="Beta")
        anna = factories.agent(db, moscow, team_id=alpha.id, full_name="Anna")
        boris = factories.agent(db, moscow, team_id=alpha.id, full_name="Boris")
        vera = factories.agent(db, moscow, team_id=beta.id, full_name="Vera")
        planner = factories.user(db, Role.PLANNER)
        run = factories.schedule_run(
            db, planner, start=date(2025, 3, 3), published_at=at(0, day=date(2025, 2, 20))
        )
        for agent in (anna, boris):
            factories.work_shift(db, run, agent, (at(6), at(14)), ((at(9), at(9, 30)),))
        db.add(
            ScheduledShift(
                run_id=run.id,
                agent_id=vera.id,
                kind=ShiftKind.DAY_OFF,
                starts_at=at(21, day=date(2025, 3, 3)),
                ends_at=at(21),
            )
        )
        # Anna: all day ready, her break taken; Boris: 30 min late, an unscheduled
        # 20-minute break, then logged out from 13:00 (an hour early).
        db.add_all(
            [
                _span(anna, at(6), at(9), "ready"),
                _span(anna, at(9), at(9, 30), "not_ready", "break"),
                _span(anna, at(9, 30), at(14), "busy"),
                _span(boris, at(6, 30), at(8), "ready"),
                _span(boris, at(8), at(8, 20), "not_ready", "lunch"),
                _span(boris, at(8, 20), at(9), "ready"),
                _span(boris, at(9), at(9, 30), "not_ready", "lunch"),
                _span(boris, at(9, 30), at(13), "ready"),
                _span(vera, at(7), at(8), "ready"),
            ]
        )
    return anna, boris, vera


def test_figures_per_agent_team_and_day(db: Session) -> None:
    anna, boris, _ = _center(db)
    result = day_adherence(db, DAY, now=at(23), threshold=timedelta(minutes=5))
    by_name = {line.name: line.figures for line in result.agents}
    # Vera has no shift that day: not counted, however long she worked.
    assert sorted(by_name) == ["Anna", "Boris"]
    assert (by_name["Anna"].adherence, by_name["Anna"].conformance) == (1.0, 1.0)
    # Boris: out 30 late + 20 break + 60 early = 110 of 480 min; logged in 06:30-13:00.
    assert by_name["Boris"].adherent_seconds == (480 - 110) * 60
    assert by_name["Boris"].worked_seconds == 390 * 60
    assert [(team.team, team.agents) for team in result.teams] == [("Alpha", 2)]
    assert result.total.adherence == (960 - 110) / 960
    assert result.total.conformance == (480 + 390) / 960
    assert result.exceptions == []
    alone = day_adherence(db, DAY, now=at(23), threshold=timedelta(minutes=5), team_id=anna.team_id)
    assert len(alone.agents) == 2
    assert boris.team_id == anna.team_id


def test_exceptions_now_and_a_threshold(db: Session) -> None:
    _center(db)
    # 06:10: Boris should have been on the phones for 10 minutes and is logged out.
    early = day_adherence(db, DAY, now=at(6, 10), threshold=timedelta(minutes=5))
    assert [(row.name, row.exception.state, row.exception.since) for row in early.exceptions] == [
        ("Boris", "logged_out", at(6))
    ]
    assert early.agents[1].figures.scheduled_seconds == 600
    # 08:12 is 12 minutes into an unscheduled lunch: shown at 5 minutes, not at 15.
    lunch = day_adherence(db, DAY, now=at(8, 12), threshold=timedelta(minutes=5))
    assert [(row.exception.reason, row.exception.seconds) for row in lunch.exceptions] == [
        ("lunch", 720)
    ]
    assert day_adherence(db, DAY, now=at(8, 12), threshold=timedelta(minutes=15)).exceptions == []


def test_the_api_reports_the_day_and_names_a_bad_date(db: Session, api_as: ApiAs) -> None:
    _center(db)
    supervisor = api_as(Role.SUPERVISOR)
    response = supervisor.get("/api/v1/wfm/adherence", params={"date": DAY.isoformat()})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["threshold_minutes"] == 5
    assert [(a["name"], a["adherence"]) for a in body["agents"]] == [
        ("Anna", 1.0),
        ("Boris", (480 - 110) / 480),
    ]
    assert body["teams"][0]["conformance"] == (480 + 390) / 960
    bad = supervisor.get("/api/v1/wfm/adherence", params={"date": "2025-02-30"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "date"
    agent = api_as(Role.AGENT)
    assert agent.get("/api/v1/wfm/adherence", params={"date": DAY.isoformat()}).status_code == 403


def test_another_day_has_no_figures(db: Session) -> None:
    _center(db)
    result = day_adherence(db, DAY + timedelta(days=2), now=at(23), threshold=timedelta(minutes=5))
    assert (result.agents, result.total.adherence) == ([], None)
