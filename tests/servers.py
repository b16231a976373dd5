"""Real ``frontline serve`` processes on a given database, and a small center to route for.

Used by the crash and take-over tests and by ``bench/intake.py``: what they measure must
be the server users run, in its own process, not a test client inside pytest.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from frontline.auth.actions import create_token
from frontline.auth.models import Role, User
from frontline.contacts.models import WrapUpReason, WrapUpTopic
from frontline.core.db import create_db_engine, create_session_factory
from frontline.core.migrations import upgrade
from frontline.core.security import hash_password
from frontline.cti.actions import INTEGRATION_HEADER, SIGNATURE_HEADER, signature
from frontline.cti.models import CtiIntegration
from frontline.org.models import Channel, Product, Queue, Site, Skill
from frontline.people.models import Agent, AgentLevel, AgentSkill

SECRET_KEY = "process-test-secret-key-that-is-long-enough"
CTI_SECRET = "the shared key of the test exchange"
QUEUE_CODE = "SUPPORT"


@dataclass(frozen=True)
class Center:
    queue_id: int
    reason_id: int
    agent_ids: list[int]
    agent_tokens: list[str]


def set_up_center(database_url: str, agents: int = 1, channel: Channel = Channel.VOICE) -> Center:
    """A migrated database with one queue (voice unless told), its agents (not logged in)
    and a PBX."""
    engine = create_db_engine(database_url)
    upgrade(engine)
    with create_session_factory(engine)() as session:
        center = _center(session, agents, channel)
    engine.dispose()
    return center


def _center(session: Session, agents: int, channel: Channel) -> Center:
    site = Site(code="HQ", name="HQ", city="Kazan", country="RU", time_zone="Europe/Moscow")
    product = Product(code="TAX", name="Tax reporting")
    session.add_all([site, product])
    session.flush()
    skill = Skill(product_id=product.id, language="ru", channel=channel)
    session.add(skill)
    session.flush()
    # Long offer time-outs: the tests decide when agents answer, not the clock.
    queue = Queue(code=QUEUE_CODE, name="Support", skill_id=skill.id, offer_timeout_seconds=600)
    topic = WrapUpTopic(product_id=product.id, name="Reports")
    session.add_all([queue, topic, CtiIntegration(code="pbx", name="PBX", secret=CTI_SECRET)])
    session.flush()
    reason = WrapUpReason(topic_id=topic.id, name="Deadline question")
    session.add(reason)
    password = hash_password("a password nobody types")
    agent_ids, tokens = [], []
    for n in range(agents):
        user = User(
            email=f"agent{n}@example.com",
            full_name=f"Agent {n}",
            role=Role.AGENT,
            password_hash=password,
        )
        session.add(user)
        session.flush()
        agent = Agent(
            employee_number=f"A{n}",
            full_name=f"Agent {n}",
            email=f"agent{n}@example.com",
            user_id=user.id,
            site_id=site.id,
            level=AgentLevel.SPECIALIST,
            hire_date=date(2024, 1, 1),
            extension=str(1000 + n),
        )
        session.add(agent)
        session.flush()
        session.add(AgentSkill(agent_id=agent.id, skill_id=skill.id, proficiency=3))
        _, token = create_token(session, user, "process tests")
        agent_ids.append(agent.id)
        tokens.append(token)
    session.commit()
    return Center(queue.id, reason.id, agent_ids, tokens)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int

    def kill(self) -> None:
        """``kill -9``: no shutdown handlers, no flushing, exactly like a crash."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            data = None if body is None else json.dumps(body).encode()
            all_headers = {"Content-Type": "application/json", **(headers or {})}
            connection.request(method, path, body=data, headers=all_headers)
            response = connection.getresponse()
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
        finally:
            connection.close()

    def router_role(self) -> str | None:
        try:
            status, body = self.request("GET", "/readyz")
        except OSError:
            return None
        return body.get("router") if status == 200 else None


def frontline_command() -> list[str]:
    return [str(Path(sys.executable).parent / "frontline")]


@contextmanager
def running_server(database_url: str, *, wait_for_active: bool = True) -> Iterator[Server]:
    port = free_port()
    env = {
        **os.environ,
        "FRONTLINE_DATABASE_URL": database_url,
        "FRONTLINE_SECRET_KEY": SECRET_KEY,
        "FRONTLINE_ENVIRONMENT": "test",
    }
    process = subprocess.Popen(
        [*frontline_command(), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Server(process, port)
    try:
        wait_until(lambda: server.router_role() in {"active", "standby"}, "server up")
        if wait_for_active:
            wait_until(lambda: server.router_role() == "active", "router active")
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_until(condition: Any, what: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise TimeoutError(f"waited {timeout:.0f} s for {what}")


def cti_event(server: Server, event: dict[str, Any]) -> tuple[int, Any]:
    body = json.dumps(event).encode()
    headers = {INTEGRATION_HEADER: "pbx", SIGNATURE_HEADER: signature(CTI_SECRET, body)}
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(
            "POST",
            "/api/v1/cti/events",
            body=body,
            headers={"Content-Type": "application/json", **headers},
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def offered(call_id: str) -> dict[str, Any]:
    return {
        "event_id": f"{call_id}-offered",
        "call_id": call_id,
        "type": "offered",
        "caller": "+79123456789",
        "queue": QUEUE_CODE,
    }


def as_agent(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
