"""Polling an IMAP mailbox that lives elsewhere; every message goes to the same intake.

A message is marked ``\\Seen`` only after :func:`mail_in.receive` committed it, so a
crash in between fetches it again next time, and its Message-ID keeps it from becoming
a second contact.
"""

from __future__ import annotations

from typing import Any, Protocol

import structlog
from imapclient import IMAPClient
from sqlalchemy.orm import Session, sessionmaker

from frontline.channels import mail_in
from frontline.core.settings import Settings

log = structlog.get_logger()
BATCH = 50


class Mailbox(Protocol):
    """What polling uses of :class:`imapclient.IMAPClient`."""

    def select_folder(self, folder: str, readonly: bool = False) -> Any: ...
    def search(self, criteria: Any = "ALL", charset: str | None = None) -> Any: ...
    def fetch(self, messages: Any, data: Any, modifiers: Any = None) -> Any: ...
    def add_flags(self, messages: Any, flags: Any, silent: bool = False) -> Any: ...


def poll(mailbox: Mailbox, factory: sessionmaker[Session], settings: Settings, folder: str) -> int:
    """Take the folder's unseen messages; returns how many were received."""
    mailbox.select_folder(folder)
    unseen = list(mailbox.search(["UNSEEN"]))[:BATCH]
    taken = 0
    for uid in unseen:
        # BODY.PEEK leaves the message unseen until it is safely stored.
        fetched = mailbox.fetch([uid], ["BODY.PEEK[]"])
        raw = fetched.get(uid, {}).get(b"BODY[]")
        if raw is None:
            continue
        with factory() as session:
            mail_in.receive(session, bytes(raw), settings)
        mailbox.add_flags([uid], [b"\\Seen"])
        taken += 1
    return taken


def poll_configured(factory: sessionmaker[Session], settings: Settings) -> int:
    """One poll of the mailbox in the settings (``FRONTLINE_MAIL_IMAP_*``)."""
    try:
        with IMAPClient(
            settings.mail_imap_host,
            port=settings.mail_imap_port,
            ssl=settings.mail_imap_ssl,
            timeout=30,
        ) as client:
            client.login(settings.mail_imap_user, settings.mail_imap_password)
            return poll(client, factory, settings, settings.mail_imap_folder)
    except Exception:
        log.exception("mail.imap_failed", host=settings.mail_imap_host)
        return 0
