"""Fixtures of the channel tests: e-mail and web queues, a real SMTP listener, a relay."""

from __future__ import annotations

import smtplib
import threading
from collections.abc import Iterator
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
from frontline.core.settings import Settings
from frontline.org.models import Channel, Queue
from tests.api import factories
from tests.servers import free_port

MAIL_DIR = Path(__file__).parent / "mail"


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
