"""Fixtures of the channel tests: e-mail and web queues, a real SMTP listener, a relay."""

from __future__ import annotations

import os
import smtplib
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from sqlalchemy.orm import Session, sessionmaker

from frontline.channels.smtp_server import controller
from frontline.core.db import create_db_engine, create_session_factory
from frontline.core.migrations import upgrade
from frontline.core.settings import Settings
from frontline.org.models import Channel, Product, Queue, Skill
from tests.api import factories
from tests.servers import SECRET_KEY, free_port, frontline_command, wait_until
from tests.web.conftest import signed_in

__all__ = ["Listener", "Queues", "Relay", "sample", "signed_in"]

MAIL_DIR = Path(__file__).parent / "mail"


def set_up_mail_queue(url: str) -> None:
    """A migrated database with one e-mail queue, ``EMAIL-TAX``."""
    engine = create_db_engine(url)
    upgrade(engine)
    with create_session_factory(engine)() as session:
        product = Product(code="TAX", name="Tax reporting")
        session.add(product)
        session.flush()
        skill = Skill(product_id=product.id, language="ru", channel=Channel.EMAIL)
        session.add(skill)
        session.flush()
        session.add(Queue(code="EMAIL-TAX", name="Tax e-mail", skill_id=skill.id))
        session.commit()
    engine.dispose()


def mail_environment(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "FRONTLINE_DATABASE_URL": url,
        "FRONTLINE_SECRET_KEY": SECRET_KEY,
        "FRONTLINE_ENVIRONMENT": "test",
        "FRONTLINE_MAIL_RELAY_PORT": str(free_port()),  # nobody listens: replies wait
    }


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def running_mail_server(url: str) -> Iterator[int]:
    """``frontline mail serve`` in its own process; yields its port, stops it cleanly."""
    port = free_port()
    process = subprocess.Popen(
        [*frontline_command(), "mail", "serve", "--port", str(port)],
        env=mail_environment(url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: _accepts(port), "mail listener up")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode == 0  # SIGTERM is a clean stop


def sample(name: str, **values: object) -> bytes:
    raw = (MAIL_DIR / name).read_bytes()
    for key, value in values.items():
        raw = raw.replace(f"{{{key}}}".encode(), str(value).encode())
    return raw


@dataclass(frozen=True)
class Queues:
    email: Queue
    web: Queue
    product_id: int


@pytest.fixture
def queues(db: Session) -> Queues:
    with factories.one_commit(db):
        product = factories.product(db, code="TAX", name="Tax reporting")
        email = factories.queue(db, factories.skill(db, product, channel=Channel.EMAIL))
        email.code = "EMAIL-TAX"
        web = factories.queue(db, factories.skill(db, product, channel=Channel.WEB))
    return Queues(email, web, product.id)


@dataclass
class Listener:
    port: int

    def send(
        self, raw: bytes, to: str = "email-tax@frontline.test"
    ) -> dict[str, tuple[int, bytes]]:
        with smtplib.SMTP("127.0.0.1", self.port, timeout=30) as client:
            return client.sendmail("sender@example.com", [to], raw)


@pytest.fixture
def listener(
    session_factory: sessionmaker[Session], settings: Settings, queues: Queues
) -> Iterator[Listener]:
    running = controller(session_factory, settings, "127.0.0.1", free_port())
    running.start()
    try:
        yield Listener(running.port)
    finally:
        running.stop()


@dataclass
class Relay:
    """A second aiosmtpd standing in for the company's mail relay; it keeps what it gets."""

    port: int
    received: list[Message] = field(default_factory=list)
    running: Controller | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(  # noqa: N802 - the name aiosmtpd calls
        self, server: SMTP, session: SmtpSession, envelope: Envelope
    ) -> str:
        with self.lock:
            self.received.append(BytesParser().parsebytes(envelope.original_content or b""))
        return "250 OK"

    def start(self) -> None:
        self.running = Controller(self, hostname="127.0.0.1", port=self.port, decode_data=False)
        self.running.start()

    def stop(self) -> None:
        if self.running is not None:
            self.running.stop()
            self.running = None


@pytest.fixture
def relay() -> Iterator[Relay]:
    relay = Relay(free_port())
    yield relay
    relay.stop()
