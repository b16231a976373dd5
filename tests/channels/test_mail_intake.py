"""E-mail in over a real SMTP exchange: stored before 250, threaded, never looping."""

from __future__ import annotations

import smtplib

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from frontline.channels.models import MailAcknowledgement, MailMessage, OutboxMail
from frontline.channels.smtp_server import controller
from frontline.contacts.models import Contact, ContactStatus, Direction
from frontline.core.settings import Settings
from frontline.org.models import Channel
from tests.channels.conftest import Listener, Queues, sample
from tests.servers import free_port


def _messages(db: Session) -> list[MailMessage]:
    """Inbound messages; the acknowledgements we send are messages too."""
    db.expire_all()
    query = select(MailMessage).where(MailMessage.direction == Direction.INBOUND)
    return list(db.scalars(query.order_by(MailMessage.id)))


def _contacts(db: Session) -> list[Contact]:
    db.expire_all()
    return list(db.scalars(select(Contact).order_by(Contact.id)))


def test_a_message_is_committed_before_the_250(
    listener: Listener, db: Session, queues: Queues
) -> None:
    refused = listener.send(sample("plain.eml"))
    assert refused == {}
    # sendmail returned: the server said 250, so the row must already be there.
    (message,) = _messages(db)
    (contact,) = _contacts(db)
    assert message.contact_id == contact.id
    assert (contact.channel, contact.queue_id, contact.status) == (
        Channel.EMAIL,
        queues.email.id,
        ContactStatus.WAITING,
    )
    assert contact.address == "ivan.petrov@example.ru"
    assert message.raw == sample("plain.eml")


def test_the_sender_gets_one_acknowledgement_with_the_reference(
    listener: Listener, db: Session
) -> None:
    listener.send(sample("plain.eml"))
    (contact,) = _contacts(db)
    (ack,) = db.scalars(select(OutboxMail)).all()
    assert ack.kind == "acknowledgement"
    assert f"FL-{contact.id}" in ack.message.text_body
    assert ack.message.in_reply_to == "<plain-1@example.ru>"
    assert b"Auto-Submitted: auto-replied" in ack.message.raw


def test_a_resent_message_is_not_a_second_contact(listener: Listener, db: Session) -> None:
    listener.send(sample("plain.eml"))
    listener.send(sample("plain.eml"))
    assert len(_messages(db)) == 1
    assert len(_contacts(db)) == 1


def test_a_reply_is_threaded_by_its_headers(listener: Listener, db: Session) -> None:
    listener.send(sample("plain.eml"))
    listener.send(sample("reply.eml"))
    (contact,) = _contacts(db)
    inbound = _messages(db)
    assert [m.contact_id for m in inbound] == [contact.id, contact.id]
    assert [event.kind for event in contact.events][-1] == "message"


def test_a_reply_is_threaded_by_the_reference_in_its_subject(
    listener: Listener, db: Session
) -> None:
    listener.send(sample("plain.eml"))
    (contact,) = _contacts(db)
    listener.send(sample("reply_by_subject.eml", contact_id=contact.id))
    assert len(_contacts(db)) == 1
    assert _messages(db)[-1].contact_id == contact.id


def test_a_reference_from_another_sender_does_not_thread(listener: Listener, db: Session) -> None:
    listener.send(sample("plain.eml"))
    (contact,) = _contacts(db)
    stranger = sample("reply_by_subject.eml", contact_id=contact.id).replace(
        b"ivan.petrov@example.ru", b"mallory@example.com"
    )
    listener.send(stranger)
    assert len(_contacts(db)) == 2


@pytest.mark.parametrize("name", ["auto_reply.eml", "list.eml", "bounce.eml"])
def test_automatic_mail_is_kept_but_never_answered(
    listener: Listener, db: Session, name: str
) -> None:
    listener.send(sample(name))
    (message,) = _messages(db)
    assert message.flags
    assert message.contact_id is None
    assert db.scalar(select(func.count()).select_from(OutboxMail)) == 0


def test_an_auto_reply_to_our_acknowledgement_threads_without_an_answer(
    listener: Listener, db: Session
) -> None:
    listener.send(sample("plain.eml"))
    (contact,) = _contacts(db)
    ack = db.scalars(select(OutboxMail)).one().message
    auto = sample("auto_reply.eml").replace(
        b"Auto-Submitted", f"In-Reply-To: {ack.message_id}\r\nAuto-Submitted".encode()
    )
    listener.send(auto)
    assert _messages(db)[-1].contact_id == contact.id
    assert db.scalar(select(func.count()).select_from(OutboxMail)) == 1


def test_an_unparseable_message_is_kept_raw_and_flagged(listener: Listener, db: Session) -> None:
    listener.send(sample("unparseable.eml"))
    (message,) = _messages(db)
    assert message.flags == ["unparsed"]
    assert message.raw == sample("unparseable.eml")
    assert _contacts(db) == []


def test_attachments_are_stored_with_their_real_type(listener: Listener, db: Session) -> None:
    listener.send(sample("attachments.eml"))
    (message,) = _messages(db)
    stored = {(a.filename, a.content_type, a.inline) for a in message.attachments}
    assert stored == {("", "image/png", True), ("invoice.txt", "application/pdf", False)}
    assert all(a.size_bytes == len(a.data) for a in message.attachments)


def test_attachments_over_the_size_limit_are_refused(
    session_factory: sessionmaker[Session], settings: Settings, queues: Queues, db: Session
) -> None:
    small = settings.model_copy(update={"mail_max_attachment_bytes": 10})
    running = controller(session_factory, small, "127.0.0.1", free_port())
    running.start()
    try:
        Listener(running.port).send(sample("attachments.eml"))
    finally:
        running.stop()
    (message,) = _messages(db)
    assert message.attachments == []
    assert "attachment_too_large" in message.flags


def test_a_sender_over_the_rate_limit_stops_making_contacts(
    session_factory: sessionmaker[Session], settings: Settings, queues: Queues, db: Session
) -> None:
    strict = settings.model_copy(update={"mail_sender_limit_per_hour": 3})
    running = controller(session_factory, strict, "127.0.0.1", free_port())
    running.start()
    try:
        sender = Listener(running.port)
        for n in range(5):
            sender.send(sample("plain.eml").replace(b"<plain-1@", f"<loop-{n}@".encode()))
    finally:
        running.stop()
    inbound = _messages(db)
    assert len(inbound) == 5  # kept, every one
    assert [("rate_limited" in m.flags) for m in inbound] == [False] * 3 + [True] * 2
    assert len(_contacts(db)) == 3


def test_a_store_failure_answers_451_so_the_sender_retries(
    session_factory: sessionmaker[Session], settings: Settings, db: Session
) -> None:
    running = controller(session_factory, settings, "127.0.0.1", free_port())
    running.handler.factory = None  # any call fails
    running.start()
    try:
        with pytest.raises(smtplib.SMTPDataError) as refused:
            Listener(running.port).send(sample("plain.eml"))
    finally:
        running.stop()
    assert refused.value.smtp_code == 451
    assert _messages(db) == []


def test_a_reply_to_a_finished_contact_opens_a_new_one_that_follows_it(
    listener: Listener, db: Session
) -> None:
    listener.send(sample("plain.eml"))
    (first,) = _contacts(db)
    first.status = ContactStatus.DONE  # handled and wrapped up
    db.commit()
    listener.send(sample("reply.eml"))
    _, second = _contacts(db)
    assert (second.queue_id, second.address) == (first.queue_id, first.address)
    follows = [event for event in second.events if event.kind == "follows"]
    assert [event.detail for event in follows] == [{"contact_id": first.id}]
    assert _messages(db)[-1].contact_id == second.id


def test_raw_8bit_headers_and_a_nul_are_stored_on_every_backend(
    listener: Listener, db: Session
) -> None:
    listener.send(sample("raw_8bit_headers.eml"))
    (contact,) = _contacts(db)
    assert contact.subject == "Срочно: касса"
    assert _messages(db)[0].text_body == "Текст с нулём."


def test_a_queue_has_its_own_acknowledgement(
    listener: Listener, db: Session, queues: Queues
) -> None:
    db.add(MailAcknowledgement(queue_id=queues.email.id, text="{queue}: case {reference}."))
    db.commit()
    listener.send(sample("plain.eml"))
    (contact,) = _contacts(db)
    ack = db.scalars(select(OutboxMail)).one()
    assert ack.message.text_body.strip() == f"{queues.email.name}: case FL-{contact.id}."


def test_a_queue_may_send_no_acknowledgement(
    listener: Listener, db: Session, queues: Queues
) -> None:
    db.add(MailAcknowledgement(queue_id=queues.email.id, text="unused", active=False))
    db.commit()
    listener.send(sample("plain.eml"))
    assert len(_contacts(db)) == 1
    assert db.scalar(select(func.count()).select_from(OutboxMail)) == 0


def test_an_oversize_message_is_refused_in_the_dialogue_and_nothing_half_stored(
    session_factory: sessionmaker[Session], settings: Settings, queues: Queues, db: Session
) -> None:
    small = settings.model_copy(update={"mail_max_message_bytes": 4096})
    running = controller(session_factory, small, "127.0.0.1", free_port())
    running.start()
    try:
        big = sample("plain.eml").replace(b"\xd0\x97", b"\xd0\x97" + b"x" * 5000, 1)
        # smtplib announces the size (ESMTP SIZE), so the refusal comes at MAIL FROM.
        with pytest.raises((smtplib.SMTPSenderRefused, smtplib.SMTPDataError)) as refused:
            Listener(running.port).send(big)
        assert refused.value.smtp_code == 552
        assert b"size exceeds" in refused.value.smtp_error
        assert Listener(running.port).send(sample("plain.eml")) == {}  # under it: accepted
    finally:
        running.stop()
    assert len(_messages(db)) == 1


@pytest.mark.parametrize(
    "recipient",
    ["not-an-address", "a@b@c.ru", "a@nodot", "a@two..dots.ru", "x" * 300 + "@example.ru"],
)
def test_an_invalid_recipient_is_refused_with_a_reason(
    listener: Listener, db: Session, recipient: str
) -> None:
    with smtplib.SMTP("127.0.0.1", listener.port, timeout=30) as client:
        client.ehlo()
        code, reason = client.mail("sender@example.com")
        assert code == 250
        code, reason = client.rcpt(recipient)
    assert 500 <= code < 600, (code, reason)
    assert reason
    assert _messages(db) == []
