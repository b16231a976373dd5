"""Outgoing e-mail: replies and acknowledgements, built once and sent until the relay takes them.

A message is built when it is queued — its Message-ID, threading headers and body are
fixed then — and stored as an outbox row in the transaction that asked for it. The
sender claims due rows one at a time (``pending`` → ``sending`` by a conditional
update, so two senders never take the same row), hands them to the relay and marks them
``sent``; a relay that is down puts the row back with a later ``next_attempt_at``. The
only window for a second copy is a crash between the relay's ``250`` and our commit; the
copy then carries the same Message-ID, which mail clients show once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import aiosmtplib
import structlog
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from frontline.channels.models import (
    MailAcknowledgement,
    MailMessage,
    MailSignature,
    OutboxMail,
    OutboxStatus,
)
from frontline.contacts.models import Contact, ContactEvent, Direction
from frontline.core.clock import as_utc, utcnow
from frontline.core.settings import Settings

log = structlog.get_logger()

FIRST_RETRY_SECONDS = 30.0
MAX_RETRY_SECONDS = 3600.0
# A row left ``sending`` this long belongs to a sender that died; it is due again.
CLAIM_EXPIRES = timedelta(minutes=10)
QUOTED_MESSAGES = 3


def reference(contact_id: int) -> str:
    """The number a customer quotes; in a subject it threads their mail (``mail_parse``).

    >>> reference(123)
    'FL-123'
    """
    return f"FL-{contact_id}"


def backoff_seconds(attempts: int) -> float:
    """Wait after the n-th failed attempt: 30 s, 60 s, 120 s… at most an hour.

    >>> [backoff_seconds(n) for n in (1, 2, 3)], backoff_seconds(20)
    ([30.0, 60.0, 120.0], 3600.0)
    """
    return float(min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS))


def _subject(contact: Contact, subject: str) -> str:
    tag = f"[{reference(contact.id)}]"
    base = subject if subject.lower().startswith("re:") else f"Re: {subject}".strip()
    return base if tag in base else f"{base} {tag}"


def _domain(settings: Settings) -> str:
    return settings.mail_from.rpartition("@")[2] or "frontline.local"


def _queue(
    session: Session,
    contact: Contact,
    kind: str,
    body: str,
    settings: Settings,
    *,
    answering: MailMessage | None,
    to: str | None = None,
) -> OutboxMail:
    recipient = to or contact.address
    message = EmailMessage(policy=policy.SMTP)
    message_id = make_msgid(idstring=uuid.uuid4().hex[:12], domain=_domain(settings))
    subject = _subject(contact, answering.subject if answering else contact.subject)
    message["From"] = settings.mail_from
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = message_id
    references: list[str] = []
    if answering is not None:
        references = [*answering.references, answering.message_id][-20:]
        message["In-Reply-To"] = answering.message_id
        message["References"] = " ".join(references)
    if kind == "acknowledgement":
        # RFC 3834: an automatic answer says so, and is itself never answered.
        message["Auto-Submitted"] = "auto-replied"
    message.set_content(body)
    now = utcnow()
    row = MailMessage(
        direction=Direction.OUTBOUND,
        message_id=message_id,
        contact_id=contact.id,
        received_at=now,
        sender=settings.mail_from,
        recipients=[recipient],
        subject=subject,
        in_reply_to=answering.message_id if answering else "",
        references=references,
        text_body=body,
        flags=[kind] if kind == "acknowledgement" else [],
        raw=message.as_bytes(),
    )
    outbox = OutboxMail(message=row, contact_id=contact.id, kind=kind, next_attempt_at=now)
    session.add(outbox)
    session.flush()
    return outbox


DEFAULT_ACKNOWLEDGEMENT = (
    "We have received your message and registered it as {reference} ({queue}).\n"
    "Please keep [{reference}] in the subject when you write about it.\n\n"
    "Мы получили ваше письмо и зарегистрировали обращение {reference}. "
    "Пожалуйста, сохраняйте [{reference}] в теме письма.\n"
)


def queue_acknowledgement(
    session: Session, contact: Contact, answering: MailMessage, settings: Settings
) -> OutboxMail | None:
    """The queue's acknowledgement with the reference number; ``None`` if it sends none."""
    own = session.scalars(
        select(MailAcknowledgement).where(MailAcknowledgement.queue_id == contact.queue_id)
    ).first()
    if own is not None and not own.active:
        return None
    template = own.text if own is not None else DEFAULT_ACKNOWLEDGEMENT
    # Plain replacement, not str.format: an administrator's braces are text, not fields.
    body = template.replace("{reference}", reference(contact.id)).replace(
        "{queue}", contact.queue.name
    )
    return _queue(session, contact, "acknowledgement", body, settings, answering=answering)


def _signature(session: Session, contact: Contact, author: str, settings: Settings) -> str:
    own = session.scalars(
        select(MailSignature).where(
            MailSignature.product_id == contact.product_id, MailSignature.active.is_(True)
        )
    ).first()
    product = contact.product.name if contact.product else ""
    lines = (author, own.text if own is not None else product, settings.mail_from)
    return "\n".join(line for line in lines if line)


def queue_reply(
    session: Session, contact: Contact, text: str, settings: Settings, *, author: str
) -> OutboxMail:
    """An agent's answer, with a signature per product and the quoted history."""
    thread = list(
        session.scalars(
            select(MailMessage)
            .where(MailMessage.contact_id == contact.id)
            .order_by(MailMessage.id.desc())
        )
    )
    answering = next((m for m in thread if m.direction is Direction.INBOUND), None)
    signature = _signature(session, contact, author, settings)
    # The history the customer sees: their mail and our answers, not our automatic notes.
    history = [m for m in thread if "acknowledgement" not in m.flags][:QUOTED_MESSAGES]
    quoted = "\n\n".join(_quote(message) for message in history)
    body = f"{text.strip()}\n\n-- \n{signature}\n"
    if quoted:
        body += f"\n{quoted}\n"
    outbox = _queue(session, contact, "reply", body, settings, answering=answering)
    session.add(
        ContactEvent(
            contact_id=contact.id,
            at=outbox.next_attempt_at,
            kind="reply_queued",
            detail={"mail": outbox.mail_message_id},
        )
    )
    return outbox


def queue_transcript(
    session: Session, contact: Contact, to: str, body: str, settings: Settings
) -> OutboxMail:
    """A chat's transcript, asked for by the customer, to the address they gave."""
    return _queue(session, contact, "transcript", body, settings, answering=None, to=to)


def _quote(message: MailMessage) -> str:
    when = format_datetime(as_utc(message.received_at))
    lines = [f"> {line}" if line else ">" for line in message.text_body.splitlines()]
    return f"On {when}, {message.sender} wrote:\n" + "\n".join(lines)


@dataclass(frozen=True)
class Relay:
    host: str
    port: int
    timeout_seconds: float = 30.0


def _claim(session: Session, now: datetime) -> OutboxMail | None:
    due = session.scalars(
        select(OutboxMail.id)
        .where(
            ((OutboxMail.status == OutboxStatus.PENDING) & (OutboxMail.next_attempt_at <= now))
            | (
                (OutboxMail.status == OutboxStatus.SENDING)
                & (OutboxMail.claimed_at < now - CLAIM_EXPIRES)
            )
        )
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
        .limit(1)
    ).first()
    if due is None:
        return None
    taken = session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == due, OutboxMail.status != OutboxStatus.SENT)
        .values(status=OutboxStatus.SENDING, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    if taken.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult has rowcount
        return None
    return session.get(OutboxMail, due)


async def deliver_due(factory: sessionmaker[Session], relay: Relay, limit: int = 100) -> int:
    """Send what is due; returns how many the relay accepted. Failures wait for later."""
    sent = 0
    for _ in range(limit):
        with factory() as session:
            now = utcnow()
            row = _claim(session, now)
            if row is None:
                return sent
            message = row.message
            try:
                await aiosmtplib.send(
                    message.raw,
                    sender=message.sender,
                    recipients=message.recipients,
                    hostname=relay.host,
                    port=relay.port,
                    timeout=relay.timeout_seconds,
                    start_tls=False,
                )
            except (aiosmtplib.SMTPException, OSError) as exc:
                row.attempts += 1
                row.status = OutboxStatus.PENDING
                row.last_error = str(exc)[:1000]
                row.next_attempt_at = now + timedelta(seconds=backoff_seconds(row.attempts))
                session.commit()
                log.warning("mail.send_failed", outbox_id=row.id, attempts=row.attempts)
                return sent  # the relay is down: the rest waits too
            row.attempts += 1
            row.status = OutboxStatus.SENT
            row.sent_at = utcnow()
            row.last_error = ""
            session.commit()
            sent += 1
            log.info("mail.sent", outbox_id=row.id, contact_id=row.contact_id)
    return sent
