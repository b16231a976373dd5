"""IMAP polling against an in-memory mailbox with IMAPClient's interface.

No IMAP server runs here: the fake keeps messages and flags as a server would and is
driven through the same calls (``select_folder``, ``search``, ``fetch``, ``add_flags``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frontline.channels.imap_poll import poll
from frontline.channels.models import MailMessage
from frontline.contacts.models import Contact, Direction
from frontline.core.settings import Settings
from tests.channels.conftest import Queues, sample


@dataclass
class FakeMailbox:
    messages: dict[int, bytes]
    seen: set[int] = field(default_factory=set)
    selected: str = ""

    def select_folder(self, folder: str, readonly: bool = False) -> dict[bytes, Any]:
        self.selected = folder
        return {b"EXISTS": len(self.messages)}

    def search(self, criteria: Any = "ALL", charset: str | None = None) -> list[int]:
        assert criteria == ["UNSEEN"]
        return [uid for uid in sorted(self.messages) if uid not in self.seen]

    def fetch(self, messages: Any, data: Any, modifiers: Any = None) -> dict[int, Any]:
        assert data == ["BODY.PEEK[]"]  # a plain BODY[] would mark it seen before storing
        return {uid: {b"BODY[]": self.messages[uid]} for uid in messages}

    def add_flags(self, messages: Any, flags: Any, silent: bool = False) -> dict[int, Any]:
        assert flags == [b"\\Seen"]
        self.seen.update(messages)
        return {}


def _inbound(db: Session) -> list[MailMessage]:
    db.expire_all()
    query = select(MailMessage).where(MailMessage.direction == Direction.INBOUND)
    return list(db.scalars(query))


def test_unseen_messages_are_received_and_marked_seen(
    session_factory: sessionmaker[Session], settings: Settings, queues: Queues, db: Session
) -> None:
    mailbox = FakeMailbox({1: sample("plain.eml"), 2: sample("cp1251.eml")})
    assert poll(mailbox, session_factory, settings, "INBOX") == 2
    assert mailbox.selected == "INBOX"
    assert mailbox.seen == {1, 2}
    assert {m.sender for m in _inbound(db)} == {"ivan.petrov@example.ru", "olga@example.ru"}
    assert poll(mailbox, session_factory, settings, "INBOX") == 0


def test_a_message_fetched_again_after_a_crash_is_one_contact(
    session_factory: sessionmaker[Session], settings: Settings, queues: Queues, db: Session
) -> None:
    mailbox = FakeMailbox({7: sample("plain.eml")})
    poll(mailbox, session_factory, settings, "INBOX")
    mailbox.seen.clear()  # the \\Seen flag was lost: the poller died before setting it
    poll(mailbox, session_factory, settings, "INBOX")
    assert len(_inbound(db)) == 1
    assert len(db.scalars(select(Contact)).all()) == 1
