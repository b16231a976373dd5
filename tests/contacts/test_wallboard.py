"""The wallboard's figures from rows in the database, checked against sums done by hand.

One morning in Moscow (UTC+3, no DST): at 10:20 two queues have had seven contacts today
and one caller has waited since 23:59 yesterday. Queue A ignores abandons shorter than 5 s
and wants 80 % in 20 s; queue B counts every abandon against 30 s. Each expected figure is
worked out in the comment beside it from the times below.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from frontline.auth.models import Role
from frontline.contacts.models import ContactStatus
from frontline.contacts.wallboard import Wallboard, day_of, wallboard
from frontline.metrics import AbandonTreatment
from frontline.org.models import Queue
from frontline.people.models import Agent
from frontline.routing.models import AgentPresence, AgentStateSpan
from tests.api import factories
from tests.api.conftest import CallerOf

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 3, 10, 10, 20, tzinfo=MSK)


def at(hh: int, mm: int, ss: int = 0, *, day: int = 10) -> datetime:
    return datetime(2026, 3, day, hh, mm, ss, tzinfo=MSK).astimezone(UTC)


def span(agent: Agent, state: str, start: datetime, end: datetime | None) -> AgentStateSpan:
    return AgentStateSpan(agent_id=agent.id, state=state, started_at=start, ended_at=end)


@pytest.fixture
def board(db: Session) -> tuple[Wallboard, Queue, Queue]:
    with factories.one_commit(db):
        site = factories.site(db)
        product = factories.product(db)
        skill_a, skill_b = factories.skill(db, product), factories.skill(db, product, language="en")
        a = factories.queue(
            db,
            skill_a,
            code="A",
            target_answer_seconds=20,
            service_level_target=0.8,
            service_level_policy=AbandonTreatment.SHORT_IGNORED,
            short_abandon_seconds=5,
        )
        b = factories.queue(
            db,
            skill_b,
            code="B",
            target_answer_seconds=30,
            service_level_policy=AbandonTreatment.COUNT_AGAINST,
        )
        x, y, z = (factories.agent(db, site) for _ in range(3))
        factories.grant(db, x, skill_a)
        factories.grant(db, y, skill_a)
        factories.grant(db, y, skill_b)

        def contact(queue: Queue, status: ContactStatus, **steps: Any) -> int:
            return int(factories.contact(db, queue, status=status, **steps).id)

        done, wrap, gone = ContactStatus.DONE, ContactStatus.WRAP_UP, ContactStatus.ABANDONED
        contact(a, done, arrived_at=at(12, 0, day=9), answered_at=at(12, 0, 5, day=9))
        # Waits 10 h 21 min = 37,260 s at 10:20.
        contact(a, ContactStatus.WAITING, arrived_at=at(23, 59, day=9))
        contact(
            a,
            done,
            agent_id=x.id,
            arrived_at=at(10, 0),
            answered_at=at(10, 0, 10),  # wait 10 s
            ended_at=at(10, 3, 10),
            wrap_up_ended_at=at(10, 4),  # handle 230 s
        )
        second = contact(
            a, wrap, agent_id=x.id, arrived_at=at(10, 16), answered_at=at(10, 16, 30)
        )  # wait 30 s, still wrapping up
        contact(a, gone, arrived_at=at(10, 17), abandoned_at=at(10, 17, 3))  # short: 3 s
        contact(a, gone, arrived_at=at(10, 18), abandoned_at=at(10, 18, 40))  # 40 s
        contact(a, ContactStatus.WAITING, arrived_at=at(10, 19))
        contact(
            b,
            done,
            agent_id=y.id,
            arrived_at=at(10, 5),
            answered_at=at(10, 5, 25),  # wait 25 s
            ended_at=at(10, 10, 25),
            wrap_up_ended_at=at(10, 10, 25),  # handle 300 s
        )
        offered = contact(
            b, ContactStatus.OFFERED, arrived_at=at(10, 20), routing_state={"offered_to": y.id}
        )
        db.add_all(
            [
                span(x, "ready", at(9, 0), at(10, 0, 10)),
                span(x, "busy", at(10, 0, 10), at(10, 3, 10)),
                span(x, "wrap_up", at(10, 3, 10), at(10, 4)),
                span(x, "ready", at(10, 4), at(10, 16, 30)),
                span(x, "busy", at(10, 16, 30), at(10, 18)),
                span(x, "wrap_up", at(10, 18), None),
                span(y, "not_ready", at(9, 30), at(10, 5)),
                span(y, "ready", at(10, 5), at(10, 5, 20)),
                span(y, "offered", at(10, 5, 20), at(10, 5, 25)),
                span(y, "busy", at(10, 5, 25), at(10, 10, 25)),
                span(y, "ready", at(10, 10, 25), at(10, 20)),
                span(y, "offered", at(10, 20), None),
                span(z, "logged_out", at(8, 0), None),
                AgentPresence(agent_id=x.id, state="wrap_up", since=at(10, 18)),
                AgentPresence(agent_id=y.id, state="offered", since=at(10, 20)),
                AgentPresence(agent_id=z.id, state="logged_out", since=at(8, 0)),
            ]
        )
    result = wallboard(db, now=NOW, zone=MSK)
    assert {line.agent_id: line.contact_id for line in result.agents} == {
        x.id: second,
        y.id: offered,
    }
    return result, a, b


def test_each_queue_now_this_interval_and_today(board: tuple[Wallboard, Queue, Queue]) -> None:
    result, a, b = board
    assert (result.interval.start, result.interval.end) == (at(10, 15), at(10, 30))
    assert (result.day.start, result.day.end) == (at(0, 0), at(0, 0, day=11))
    first, second = result.queues
    assert (first.queue_id, second.queue_id) == (a.id, b.id)

    assert (first.waiting, first.longest_wait_seconds) == (2, 37260.0)
    assert first.agents == {"offered": 1, "wrap_up": 1}
    day = first.day
    assert (day.offered, day.answered, day.abandoned, day.handled) == (5, 2, 2, 1)
    assert day.service_level == pytest.approx(1 / 3)  # W 1 / (A 2 + X_N 1): the 3 s abandon drops
    assert day.abandonment_rate == pytest.approx(1 / 3)  # X_N 1 / (A 2 + X_N 1)
    assert day.asa_seconds == pytest.approx(20.0)  # (10 + 30) / 2
    assert day.aht_seconds == pytest.approx(230.0)
    now = first.interval  # 10:15-10:30: the 10:16, 10:17, 10:18 and 10:19 contacts
    assert (now.offered, now.answered, now.abandoned, now.handled) == (4, 1, 2, 0)
    assert now.service_level == 0.0  # W 0 / (A 1 + X_N 1)
    assert now.asa_seconds == pytest.approx(30.0)
    assert now.aht_seconds is None
    # Agents X and Y serve A. Today: busy 180+90+5+300, wrap-up 50+120, ready 3610+750+20+575.
    assert first.day_occupancy == pytest.approx(745 / 5700)
    # 10:15-10:20: X busy 90, wrap-up 120, ready 90; Y ready 300.
    assert first.interval_occupancy == pytest.approx(210 / 600)

    assert (second.waiting, second.longest_wait_seconds) == (1, 0.0)  # offered at 10:20 sharp
    assert second.agents == {"offered": 1}
    assert (second.day.offered, second.day.answered, second.day.handled) == (2, 1, 1)
    assert second.day.service_level == 1.0  # 25 s <= 30 s
    assert second.day.abandonment_rate == 0.0
    assert second.day.aht_seconds == pytest.approx(300.0)
    assert second.interval.service_level is None  # only the contact still ringing
    assert second.day_occupancy == pytest.approx(305 / 900)  # Y only: busy 305, ready 595
    assert second.interval_occupancy == 0.0


def test_the_totals_count_each_contact_under_its_own_queue_policy(
    board: tuple[Wallboard, Queue, Queue],
) -> None:
    total = board[0].total
    assert (total.waiting, total.longest_wait_seconds) == (3, 37260.0)
    assert (total.day.offered, total.day.answered, total.day.abandoned) == (7, 3, 2)
    # W: 10 s in A (<= 20) and 25 s in B (<= 30); A 3 + the 40 s abandon (the 3 s one is
    # short under A's policy). Under one 20 s policy it would have been 1 / 5.
    assert total.day.service_level == pytest.approx(2 / 4)
    assert total.day.abandonment_rate == pytest.approx(1 / 4)
    assert total.day.asa_seconds == pytest.approx(65 / 3)
    assert total.day.aht_seconds == pytest.approx(265.0)
    assert total.day_occupancy == pytest.approx(745 / 5700)
    assert total.agents == {"offered": 1, "wrap_up": 1}


def test_the_chart_has_every_quarter_hour_of_the_day(board: tuple[Wallboard, Queue, Queue]) -> None:
    chart = board[0].chart
    assert len(chart) == 96
    ten = chart[40]
    assert (ten.start, ten.end) == (at(10, 0), at(10, 15))
    assert (ten.offered, ten.answered, ten.abandoned, ten.service_level) == (2, 2, 0, 1.0)
    quarter_past = chart[41]
    assert (quarter_past.offered, quarter_past.answered, quarter_past.abandoned) == (5, 1, 2)
    assert quarter_past.service_level == 0.0
    assert sum(point.offered for point in chart) == 7
    assert [point.service_level for point in chart[:40]] == [None] * 40


def test_a_day_with_a_clock_change_has_23_hours() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    day = day_of(datetime(2026, 3, 29, 12, tzinfo=berlin), berlin)
    assert (day.end - day.start).total_seconds() == 23 * 3600
    assert day.start == datetime(2026, 3, 28, 23, tzinfo=UTC)


def test_the_api_serves_readers_of_the_wallboard_only(
    caller_of: CallerOf, client: TestClient
) -> None:
    planner = caller_of(Role.PLANNER).client
    answer = planner.get("/api/v1/wallboard", params={"time_zone": "Asia/Yekaterinburg"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["time_zone"] == "Asia/Yekaterinburg"
    assert body["total"]["day"]["offered"] == 0
    assert len(body["chart"]) == 96
    assert caller_of(Role.AGENT).client.get("/api/v1/wallboard").status_code == 403
    wrong = planner.get("/api/v1/wallboard", params={"time_zone": "Mars/Olympus"})
    assert wrong.status_code == 422
    assert wrong.json()["error"]["field"] == "time_zone"
