"""IMAP polling: against an in-memory mailbox, and against a real dovecot.

The fake keeps messages and flags as a server would and is driven through the same calls
(``select_folder``, ``search``, ``fetch``, ``add_flags``); it covers the crash cases. The
last test runs Debian's dovecot (``apt-get install dovecot-imapd``) on a free port and is
skipped where it is not installed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from imapclient import IMAPClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frontline.channels.imap_poll import poll, poll_configured
from frontline.channels.models import MailMessage
from frontline.contacts.models import Contact, Direction
from frontline.core.settings import Settings
from tests.channels.conftest import Queues, sample
from tests.servers import free_port, wait_until


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


# --- against a real IMAP server: Debian's dovecot, when it is installed -----------------

DOVECOT = Path("/usr/sbin/dovecot")
DOVECOT_CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
"""


@pytest.fixture
def dovecot() -> Iterator[int]:
    """A throwaway dovecot on a free port with one mailbox, ``support`` / ``secret``."""
    if not DOVECOT.exists() or os.geteuid() != 0:
        pytest.skip("needs Debian's dovecot-imapd and root (its mail user is nobody)")
    # Not under pytest's tmp_path: dovecot's own users must read it, and that is 0700.
    with tempfile.TemporaryDirectory(prefix="frontline-dovecot-") as directory:
        root = Path(directory)
        root.chmod(0o755)
        yield from _run_dovecot(root)


def _run_dovecot(root: Path) -> Iterator[int]:
    for folder in ("run", "state", "home"):
        (root / folder).mkdir()
    shutil.chown(root / "home", "nobody", "nogroup")
    (root / "users").write_text("support:{PLAIN}secret\n")
    port = free_port()
    config = root / "dovecot.conf"
    config.write_text(DOVECOT_CONFIG.format(root=root, port=port))
    process = subprocess.Popen([str(DOVECOT), "-F", "-c", str(config)])
    try:
        wait_until(lambda: _accepts(port), "dovecot up", timeout=30)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def test_polling_a_real_dovecot_mailbox(
    dovecot: int,
    session_factory: sessionmaker[Session],
    settings: Settings,
    queues: Queues,
    db: Session,
) -> None:
    with IMAPClient("127.0.0.1", port=dovecot, ssl=False) as client:
        client.login("support", "secret")
        client.append("INBOX", sample("koi8r.eml"))
        client.append("INBOX", sample("plain.eml"))
    configured = settings.model_copy(
        update={
            "mail_imap_host": "127.0.0.1",
            "mail_imap_port": dovecot,
            "mail_imap_ssl": False,
            "mail_imap_user": "support",
            "mail_imap_password": "secret",
        }
    )
    assert poll_configured(session_factory, configured) == 2
    assert poll_configured(session_factory, configured) == 0  # both are \\Seen now
    assert {m.subject for m in _inbound(db)} == {"Привет", "Question about my report"}
    with IMAPClient("127.0.0.1", port=dovecot, ssl=False) as client:
        client.login("support", "secret")
        client.select_folder("INBOX")
        assert client.search(["UNSEEN"]) == []
        assert len(client.search(["SEEN"])) == 2
