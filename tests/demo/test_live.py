"""The live demo driver against a real server process: calls come in through the signed
CTI API, the server routes them, the simulated agents answer, end and wrap up through
the API, and at the end nobody is left logged in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.conftest import BACKENDS, throwaway_database
from tests.servers import CTI_SECRET, QUEUE_CODE, SECRET_KEY, running_server, set_up_center
from typer.testing import CliRunner

from frontline.auth.models import ApiToken, User
from frontline.cli.main import app
from frontline.contacts.models import Contact, ContactStatus
from frontline.core.db import create_db_engine, create_session_factory
from frontline.core.migrations import upgrade
from frontline.demo.catalog import AGENT_LOGIN
from frontline.demo.live import Line, LiveAgent, LiveDriver, LiveError, LiveStats
from frontline.demo.seed import seed_demo
from frontline.people.models import Agent
from frontline.routing.models import AgentPresence
from frontline.sim.scenario import Distribution

SPEED = 120.0  # two simulated minutes a second
MINUTES = 12.0


@pytest.fixture(params=BACKENDS)
def fresh_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with throwaway_database(request.param, tmp_path) as url:
        yield url


def driver(url: str, agents: list[LiveAgent], line: Line, **change: object) -> LiveDriver:
    settings: dict[str, object] = {
        "calls_per_hour": 150.0,
        "handle": Distribution(distribution="exponential", mean_seconds=120),
        # Patient callers: on a busy test machine the server may answer slowly, and what is
        # checked here is the path of a call through the API, not the center's abandonment.
        "patience": Distribution(distribution="exponential", mean_seconds=1800),
        "wrap_up_seconds": 20.0,
        "speed": SPEED,
        "seed": 3,
    } | change
    return LiveDriver(url, "pbx", CTI_SECRET, agents, [line], **settings)  # type: ignore[arg-type]


def test_calls_are_created_answered_and_wrapped_up_through_the_api(
    fresh_database: str,
) -> None:
    center = set_up_center(fresh_database, agents=4)
    agents = [
        LiveAgent(agent_id, str(1000 + n), token)
        for n, (agent_id, token) in enumerate(
            zip(center.agent_ids, center.agent_tokens, strict=True)
        )
    ]
    seen: list[tuple[float, LiveStats]] = []
    with running_server(fresh_database) as server:
        live = driver(
            f"http://127.0.0.1:{server.port}", agents, Line(center.reason_id, queue=QUEUE_CODE)
        )
        stats = live.run(MINUTES, progress=lambda now, s: seen.append((now, s)))
    assert stats.refused == []
    assert stats.offered >= 5
    assert stats.answered >= 5
    assert stats.wrapped_up == stats.answered
    assert stats.offered == stats.answered + stats.abandoned
    assert seen  # progress was reported
    engine = create_db_engine(fresh_database)
    try:
        with create_session_factory(engine)() as session:
            by_status = dict(
                session.execute(select(Contact.status, func.count()).group_by(Contact.status)).all()
            )
            assert by_status.get(ContactStatus.DONE, 0) == stats.answered
            assert by_status.get(ContactStatus.ABANDONED, 0) == stats.abandoned
            wrapped = session.scalar(
                select(func.count()).where(
                    Contact.outcome.is_not(None), Contact.reason_id == center.reason_id
                )
            )
            assert wrapped == stats.answered
            handled_by = set(
                session.scalars(select(Contact.agent_id).where(Contact.agent_id.is_not(None)))
            )
            assert handled_by <= set(center.agent_ids)
            states = set(session.scalars(select(AgentPresence.state)))
            assert states <= {"logged_out"}
    finally:
        engine.dispose()


def test_a_wrong_key_is_named(fresh_database: str) -> None:
    center = set_up_center(fresh_database, agents=1)
    agent = LiveAgent(center.agent_ids[0], "1000", center.agent_tokens[0])
    with running_server(fresh_database) as server:
        live = driver(
            f"http://127.0.0.1:{server.port}",
            [agent],
            Line(center.reason_id, queue=QUEUE_CODE),
            calls_per_hour=3600.0,
        )
        live.secret = "not the key of this exchange"
        with pytest.raises(LiveError, match="signature"):
            live.run(2.0)


def test_frontline_demo_live_drives_the_demo_center_and_leaves_its_agent_free(
    fresh_database: str,
) -> None:
    engine = create_db_engine(fresh_database)
    upgrade(engine)
    factory = create_session_factory(engine)
    seed_demo(factory, agents=60, customers=0, seed=2026)
    with factory() as session:
        human = session.scalar(
            select(Agent.id).join(User, Agent.user_id == User.id).where(User.email == AGENT_LOGIN)
        )
    env = {
        "FRONTLINE_DATABASE_URL": fresh_database,
        "FRONTLINE_SECRET_KEY": SECRET_KEY,
        "FRONTLINE_ENVIRONMENT": "test",
    }
    try:
        with running_server(fresh_database) as server:
            result = CliRunner().invoke(
                app,
                [
                    "demo",
                    "--live",
                    "--url",
                    f"http://127.0.0.1:{server.port}",
                    "--speed",
                    "120",
                    "--minutes",
                    "10",
                    "--live-agents",
                    "6",
                    "--calls-per-hour",
                    "120",
                ],
                env=env,
            )
        assert result.exit_code == 0, result.output
        assert "done:" in result.stdout
        assert "simulated" in result.stderr
        with factory() as session:
            contacts = session.scalars(select(Contact)).all()
            assert contacts
            done = [c for c in contacts if c.status is ContactStatus.DONE]
            assert done and all(c.outcome is not None for c in done)
            assert human not in {c.agent_id for c in contacts}
            # The agents went back out, their tokens were removed.
            assert set(session.scalars(select(AgentPresence.state))) <= {"logged_out"}
            assert session.scalar(select(func.count()).select_from(ApiToken)) == 0
            assert session.get(AgentPresence, human) is None
    finally:
        engine.dispose()


def test_bad_live_options_are_named() -> None:
    result = CliRunner().invoke(app, ["demo", "--live", "--speed", "0"])
    assert result.exit_code == 1
    assert "--speed" in result.stderr
