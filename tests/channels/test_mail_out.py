"""E-mail out: replies with threading headers, sent exactly once across a relay outage."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from email import policy
from email.parser import BytesParser
from typing import Any

import aiosmtplib
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from frontline.auth.models import Role
from frontline.channels.mail_out import CLAIM_EXPIRES, backoff_seconds, deliver_due
from frontline.channels.mail_out import Relay as RelayAddress
from frontline.channels.models import MailSignature, OutboxMail, OutboxStatus
from frontline.contacts.models import Contact
from frontline.core.clock import utcnow
from tests.channels.conftest import Listener, Relay, sample
from tests.conftest import ApiAs


def _deliver(factory: sessionmaker[Session], relay: Relay) -> int:
    return asyncio.run(deliver_due(factory, RelayAddress("127.0.0.1", relay.port, 5.0)))


def _everything_due(db: Session) -> None:
    """Stands in for the backoff time passing; the tests do not wait for the clock."""
    db.execute(update(OutboxMail).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.commit()


def test_backoff_doubles_up_to_an_hour() -> None:
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [30.0, 60.0, 120.0, 240.0]
    assert backoff_seconds(50) == 3600.0


def test_a_reply_is_threaded_and_sent_exactly_once_across_a_relay_outage(
    listener: Listener,
    relay: Relay,
    api_as: ApiAs,
    db: Session,
    session_factory: sessionmaker[Session],
) -> None:
    listener.send(sample("plain.eml"))
    contact = db.scalars(select(Contact)).one()
    db.add(MailSignature(product_id=contact.product_id, text="Tax reporting support line"))
    db.commit()
    supervisor: TestClient = api_as(Role.SUPERVISOR)
    answer = supervisor.post(
        f"/api/v1/contacts/{contact.id}/reply", json={"text": "We have fixed the report."}
    )
    assert answer.status_code == 202
    assert answer.json()["delivery"] == "pending"

    # The relay is down: nothing is sent, nothing is lost, and the rows wait.
    assert _deliver(session_factory, relay) == 0
    db.expire_all()
    rows = db.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
    assert [row.status for row in rows] == [OutboxStatus.PENDING] * 2
    assert rows[0].attempts == 1
    assert rows[0].next_attempt_at > utcnow()
    assert _deliver(session_factory, relay) == 0  # not due yet: no attempt at all
    db.expire_all()
    assert rows[0].attempts == 1

    relay.start()
    _everything_due(db)
    assert _deliver(session_factory, relay) == 2  # the acknowledgement and the reply
    assert _deliver(session_factory, relay) == 0
    _everything_due(db)
    assert _deliver(session_factory, relay) == 0  # sent rows are never due again
    assert len(relay.received) == 2

    ack, reply = relay.received
    assert ack["Auto-Submitted"] == "auto-replied"
    assert reply["In-Reply-To"] == "<plain-1@example.ru>"
    assert reply["References"] == "<plain-1@example.ru>"
    assert reply["To"] == "ivan.petrov@example.ru"
    assert f"[FL-{contact.id}]" in reply["Subject"]
    payload = reply.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode().replace("\r\n", "\n")
    assert body.startswith("We have fixed the report.")
    assert "\n-- \nTest supervisor\nTax reporting support line\n" in body  # the product's
    assert "> Здравствуйте! Отчёт не уходит." in body  # the quoted history
    assert "registered it as" not in body  # but not our acknowledgement

    thread = supervisor.get(f"/api/v1/contacts/{contact.id}/messages").json()
    assert [(m["direction"], m["delivery"]) for m in thread] == [
        ("in", None),
        ("out", "sent"),
        ("out", "sent"),
    ]


def test_an_empty_reply_names_the_field(api_as: ApiAs, listener: Listener) -> None:
    supervisor = api_as(Role.SUPERVISOR)
    empty = supervisor.post("/api/v1/contacts/1/reply", json={"text": ""})
    assert empty.status_code == 422
    assert empty.json()["error"]["field"] == "text"


class _Crash(BaseException):
    """The sender process dying: nothing after it runs, nothing is committed."""


def test_a_crash_after_the_relays_250_sends_a_second_copy_with_the_same_message_id(
    listener: Listener,
    relay: Relay,
    db: Session,
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The one window the outbox cannot close, shown as it is (docs/channels.md).

    The relay has taken the message, then the sender dies before it records ``sent``.
    The row stays ``sending``; once the claim expires it is sent again. The copy is the
    same bytes with the same Message-ID, which receiving clients show once.
    """
    listener.send(sample("plain.eml"))  # queues the acknowledgement
    relay.start()
    real_send = aiosmtplib.send

    async def send_then_die(*args: Any, **kwargs: Any) -> Any:
        await real_send(*args, **kwargs)
        raise _Crash

    monkeypatch.setattr(aiosmtplib, "send", send_then_die)  # as mail_out calls it
    with pytest.raises(_Crash):
        _deliver(session_factory, relay)
    monkeypatch.undo()
    db.expire_all()
    row = db.scalars(select(OutboxMail)).one()
    assert row.status is OutboxStatus.SENDING  # the 250 was never recorded
    assert _deliver(session_factory, relay) == 0  # a live claim is not taken again

    db.execute(update(OutboxMail).values(claimed_at=utcnow() - CLAIM_EXPIRES * 2))
    db.commit()
    assert _deliver(session_factory, relay) == 1
    first, second = relay.received
    assert first["Message-ID"].strip() == second["Message-ID"].strip() == row.message.message_id
    assert first.as_bytes() == second.as_bytes()
    assert _deliver(session_factory, relay) == 0
    db.expire_all()
    assert db.scalars(select(OutboxMail)).one().status is OutboxStatus.SENT


def test_a_reply_to_a_hostile_name_and_subject_has_single_line_headers(
    listener: Listener, relay: Relay, api_as: ApiAs, db: Session
) -> None:
    listener.send(sample("header_injection.eml"))
    contact = db.scalars(select(Contact)).one()
    answer = api_as(Role.SUPERVISOR).post(
        f"/api/v1/contacts/{contact.id}/reply", json={"text": "Answered."}
    )
    assert answer.status_code == 202
    db.expire_all()
    for row in db.scalars(select(OutboxMail)):
        sent = BytesParser(policy=policy.SMTP).parsebytes(row.message.raw)
        assert sent["To"] == "ivan.inj@example.ru"
        assert sent["Bcc"] is None
        assert "victim" not in str(sent["To"])
        assert "\n" not in str(sent["Subject"]).replace("\r\n ", " ")
        header_lines = row.message.raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
        assert not any(line.lower().startswith(b"bcc:") for line in header_lines)
