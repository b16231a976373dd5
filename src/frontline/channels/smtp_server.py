"""The SMTP listener a mail server forwards to: each message committed before ``250``.

The handler hands the bytes to :func:`mail_in.receive` in a worker thread (the database
is synchronous) and answers only when that has committed; a failure there answers
``451`` so the sending server keeps the message and tries again.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager, nullcontext
from email.headerregistry import Address

import structlog
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from sqlalchemy.orm import Session, sessionmaker

from frontline.channels import mail_in
from frontline.channels.mail_out import Relay, deliver_due
from frontline.core.settings import Settings

log = structlog.get_logger()
DEFAULT_PORT = 2525
OUTBOX_POLL_SECONDS = 5.0
MAX_ADDRESS_LENGTH = 254


def valid_address(address: str) -> bool:
    """One ``local@domain`` of at most 254 characters, as RFC 5321 allows."""
    if len(address) > MAX_ADDRESS_LENGTH or address.count("@") != 1:
        return False
    try:
        parsed = Address(addr_spec=address)
    except (ValueError, IndexError):
        return False
    return bool(parsed.username) and "." in parsed.domain and ".." not in parsed.domain


class IntakeHandler:
    """aiosmtpd's handler interface: ``handle_DATA`` is called once per message."""

    def __init__(self, factory: sessionmaker[Session], settings: Settings) -> None:
        self.factory = factory
        self.settings = settings
        # SQLite takes one writer at a time; threads that find it busy sleep in growing
        # steps (up to 100 ms) and miss the moment it frees. Taking turns here instead
        # keeps the database busy all the time. PostgreSQL writes in parallel.
        self._one_writer: AbstractContextManager[object] = (
            threading.Lock() if settings.database_url.startswith("sqlite") else nullcontext()
        )

    def _store(self, raw: bytes, recipients: tuple[str, ...]) -> mail_in.Received:
        with self._one_writer, self.factory() as session:
            return mail_in.receive(session, raw, self.settings, recipients=recipients)

    async def handle_RCPT(  # noqa: N802 - the name aiosmtpd calls
        self,
        server: SMTP,
        session: SmtpSession,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        # Refused here, with the reason, rather than accepted and unroutable later.
        if not valid_address(address):
            return "553 5.1.3 Not a valid recipient address"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - the name aiosmtpd calls
        self, server: SMTP, session: SmtpSession, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        recipients = tuple(address.lower() for address in envelope.rcpt_tos)
        try:
            await asyncio.to_thread(self._store, raw, recipients)
        except Exception:
            log.exception("mail.store_failed")
            return "451 4.3.0 Could not store the message, try again later"
        return "250 2.0.0 Message accepted"


def controller(
    factory: sessionmaker[Session], settings: Settings, host: str, port: int
) -> Controller:
    # decode_data=False keeps the bytes as sent: charsets are the parser's business.
    return Controller(
        IntakeHandler(factory, settings),
        hostname=host,
        port=port,
        decode_data=False,
        # Refused in the dialogue (552) before any byte is stored; attachments have their
        # own, smaller limit, checked when the message is stored.
        data_size_limit=settings.mail_max_message_bytes,
    )


async def outbox_loop(
    factory: sessionmaker[Session],
    settings: Settings,
    stop: asyncio.Event,
    extra: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Send due mail every few seconds until ``stop`` is set."""
    relay = Relay(settings.mail_relay_host, settings.mail_relay_port)
    while not stop.is_set():
        try:
            await deliver_due(factory, relay)
            if extra is not None:
                await extra()
        except Exception:
            log.exception("mail.outbox_failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), OUTBOX_POLL_SECONDS)
