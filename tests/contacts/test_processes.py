"""Durability and scale-out with real server processes: ``kill -9`` and router take-over."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontline.contacts.models import Contact, ContactEvent, ContactStatus
from frontline.core.db import create_db_engine, create_session_factory
from tests.conftest import BACKENDS, throwaway_database
from tests.servers import (
    Server,
    as_agent,
    cti_event,
    offered,
    running_server,
    set_up_center,
    wait_until,
)

ACKED_BEFORE_CRASH = 40


@pytest.fixture(params=BACKENDS)
def fresh_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with throwaway_database(request.param, tmp_path) as url:
        yield url


class Caller(threading.Thread):
    """Posts new calls one after another and remembers which were acknowledged."""

    def __init__(self, server: Server) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.acked: list[int] = []
        self.stop = threading.Event()
        self.enough = threading.Event()

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            try:
                status, answer = cti_event(self.server, offered(f"call-{n}"))
            except OSError:
                continue  # the server is gone: nothing was acknowledged
            if status == 200:
                self.acked.append(answer["contact_id"])
                if len(self.acked) >= ACKED_BEFORE_CRASH:
                    self.enough.set()


def test_a_killed_server_loses_no_acknowledged_call_and_requeues_them_in_order(
    fresh_database: str,
) -> None:
    center = set_up_center(fresh_database, agents=1)
    with running_server(fresh_database) as first:
        caller = Caller(first)
        caller.start()
        assert caller.enough.wait(60), "calls were not acknowledged"
        first.kill()  # while calls keep arriving
        caller.stop.set()
        caller.join(30)
    acked = list(caller.acked)

    engine = create_db_engine(fresh_database)
    with create_session_factory(engine)() as session:
        stored = set(session.scalars(select(Contact.id)))
        assert set(acked) <= stored, "an acknowledged call was lost"

    with running_server(fresh_database) as second:
        token = center.agent_tokens[0]
        status, _ = second.request(
            "POST", "/api/v1/workspace/state", {"state": "ready"}, as_agent(token)
        )
        assert status == 200
        # The agent takes the calls one by one: they come in the order they were acked.
        for expected in acked[:5]:
            status, workspace = second.request("GET", "/api/v1/workspace", None, as_agent(token))
            assert status == 200
            assert [c["id"] for c in workspace["contacts"]] == [expected]
            for step in ("accept", "end"):
                path = f"/api/v1/contacts/{expected}/{step}"
                assert second.request("POST", path, None, as_agent(token))[0] == 200
            body = {"reason_id": center.reason_id, "outcome": "resolved"}
            path = f"/api/v1/contacts/{expected}/wrap-up"
            assert second.request("POST", path, body, as_agent(token))[0] == 200

        with create_session_factory(engine)() as session:
            waiting = list(
                session.scalars(
                    select(Contact.id)
                    .where(Contact.status.in_([ContactStatus.WAITING, ContactStatus.OFFERED]))
                    .order_by(Contact.route_seq)
                )
            )
        # Everything acknowledged and not yet handled is still in line, in arrival order.
        assert [c for c in waiting if c in set(acked)] == acked[5:]
    engine.dispose()


@pytest.fixture
def postgres_database(tmp_path: Path) -> Iterator[str]:
    with throwaway_database("postgresql", tmp_path) as url:
        yield url


def test_two_nodes_never_offer_a_call_twice_and_the_standby_takes_over(
    postgres_database: str,
) -> None:
    center = set_up_center(postgres_database, agents=3)
    with (
        running_server(postgres_database) as first,
        running_server(postgres_database, wait_for_active=False) as second,
    ):
        nodes = [first, second]
        assert sorted(node.router_role() or "" for node in nodes) == ["active", "standby"]
        for n, token in enumerate(center.agent_tokens):
            node = nodes[n % 2]
            status, _ = node.request(
                "POST", "/api/v1/workspace/state", {"state": "ready"}, as_agent(token)
            )
            assert status == 200
        # Calls arrive on both nodes at once.
        answers: list[dict[str, object]] = []

        def post_calls(node: Server, prefix: str) -> None:
            for n in range(15):
                status, answer = cti_event(node, offered(f"{prefix}-{n}"))
                assert status == 200
                answers.append(answer)

        threads = [
            threading.Thread(target=post_calls, args=(node, f"n{i}"))
            for i, node in enumerate(nodes)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert len(answers) == 30

        engine = create_db_engine(postgres_database)
        factory = create_session_factory(engine)
        with factory() as session:
            offers = session.execute(
                select(ContactEvent.contact_id, func.count())
                .where(ContactEvent.kind == "offered")
                .group_by(ContactEvent.contact_id)
            ).all()
            assert len(offers) == 3  # one per agent: each has capacity for one call
            assert all(count == 1 for _, count in offers)
            offered_to = [
                contact.routing_state["offered_to"]
                for contact in session.scalars(
                    select(Contact).where(Contact.status == ContactStatus.OFFERED)
                )
                if contact.routing_state
            ]
            assert sorted(offered_to) == sorted(center.agent_ids)

        active = first if first.router_role() == "active" else second
        survivor = second if active is first else first
        active.kill()
        wait_until(lambda: survivor.router_role() == "active", "take-over", timeout=30)
        status, answer = cti_event(survivor, offered("after-take-over"))
        assert status == 200
        with factory() as session:
            late = session.get(Contact, answer["contact_id"])
            assert late is not None
            assert late.routing_state is not None, "the new router did not queue it"
            assert late.routing_state["seq"] > 30  # behind everyone already waiting
        engine.dispose()
