"""Incoming e-mail: parsed, recorded once, threaded onto its contact or made a new one.

Both doors — the SMTP listener and IMAP polling — call :func:`receive`, which commits
before it returns: the SMTP ``250`` is sent only after that. Nothing is dropped: a
message that cannot be parsed, a loop, a bounce is recorded raw with its flags, only
not routed or answered.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import structlog
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontline.channels import fax, mail_out
from frontline.channels.mail_parse import ParsedAttachment, ParsedMail, Unparseable, parse
from frontline.channels.models import MailAttachment, MailMessage
from frontline.contacts.actions import add_contact
from frontline.contacts.models import OPEN_STATUSES, Contact, ContactEvent, Direction
from frontline.contacts.schemas import ContactCreate
from frontline.core.clock import utcnow
from frontline.core.settings import Settings
from frontline.org.models import Channel, Queue, Skill

log = structlog.get_logger()

# What may be stored, by the type the bytes show: pictures, PDFs, office files, text.
ALLOWED_TYPES = frozenset(
    {
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/heic",
        "image/tiff",  # faxes
        "application/pdf",
        "application/zip",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/msword",
        "application/vnd.ms-excel",
        "application/x-ole-storage",
        "text/plain",
        "text/csv",
    }
)
RATE_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Received:
    message_id: int
    contact_id: int | None
    commands: list[int]
    repeat: bool
    flags: tuple[str, ...]


def receive(
    session: Session, raw: bytes, settings: Settings, *, recipients: tuple[str, ...] = ()
) -> Received:
    """Record ``raw`` and route it; committed when this returns."""
    now = utcnow()
    try:
        mail = parse(raw, fallback_message_id=f"<{uuid.uuid4().hex}@frontline.missing-id>")
    except Unparseable as exc:
        log.warning("mail.unparsed", error=str(exc))
        row = MailMessage(
            direction=Direction.INBOUND,
            message_id=f"<{uuid.uuid4().hex}@frontline.unparsed>",
            received_at=now,
            recipients=list(recipients),
            flags=["unparsed"],
            headers={"error": str(exc)[:500]},
            raw=raw,
        )
        session.add(row)
        session.commit()
        return Received(row.id, None, [], repeat=False, flags=("unparsed",))
    row = _row(mail, raw, recipients, settings)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # the same Message-ID again: the first one stands
        session.rollback()
        first = session.scalars(
            select(MailMessage).where(MailMessage.message_id == mail.message_id)
        ).one()
        return Received(first.id, first.contact_id, [], repeat=True, flags=tuple(first.flags))
    commands = _route(session, row, mail, settings)
    session.commit()
    log.info("mail.received", mail_id=row.id, contact_id=row.contact_id, flags=row.flags)
    return Received(row.id, row.contact_id, commands, repeat=False, flags=tuple(row.flags))


def _row(
    mail: ParsedMail, raw: bytes, recipients: tuple[str, ...], settings: Settings
) -> MailMessage:
    flags = list(mail.automatic)
    row = MailMessage(
        direction=Direction.INBOUND,
        message_id=mail.message_id[:998],
        received_at=utcnow(),
        sender=mail.sender[:254],
        recipients=list(recipients or mail.recipients),
        subject=mail.subject[:998],
        in_reply_to=mail.in_reply_to[:998],
        references=list(mail.references),
        text_body=mail.text,
        html_body=mail.html,
        headers=mail.headers,
        flags=flags,
        raw=raw,
    )
    for attachment in mail.attachments:
        refusal = _refusal(attachment, settings)
        if refusal:
            flags.append(refusal)
            continue
        row.attachments.append(
            MailAttachment(
                filename=attachment.filename,
                content_type=attachment.content_type,
                size_bytes=len(attachment.data),
                inline=attachment.inline,
                content_id=attachment.content_id[:255],
                data=attachment.data,
            )
        )
    if mail.sender in settings.fax_gateways:
        flags.extend(_fax_previews(row))
    row.flags = list(dict.fromkeys(flags))
    return row


def _fax_previews(row: MailMessage) -> list[str]:
    """Render each fax document's first page; the flags say what went wrong, if anything."""
    documents = [a for a in row.attachments if a.content_type in fax.FAX_TYPES]
    if not documents:
        return ["fax", "fax_no_document"]
    flags = ["fax"]
    for attachment in documents:
        try:
            attachment.preview_png = fax.first_page_png(attachment.data, attachment.content_type)
        except fax.PreviewFailed as exc:
            # The fax is still a contact: an agent can open the file or ask for it again.
            log.warning("mail.fax_unreadable", filename=attachment.filename, error=str(exc))
            flags.append("fax_unreadable")
    return flags


def _refusal(attachment: ParsedAttachment, settings: Settings) -> str | None:
    return refusal(
        len(attachment.data), attachment.content_type, settings.mail_max_attachment_bytes
    )


def refusal(size_bytes: int, content_type: str, max_bytes: int) -> str | None:
    """Why a file may not be stored (its real type, see ``mail_parse.real_type``), if so."""
    if size_bytes > max_bytes:
        return "attachment_too_large"
    if content_type not in ALLOWED_TYPES:
        return "attachment_type_refused"
    return None


def _route(session: Session, row: MailMessage, mail: ParsedMail, settings: Settings) -> list[int]:
    """Thread, or open a new contact and acknowledge it; returns routing command ids."""
    # A gateway relays faxes from many senders, often marked Auto-Submitted: each is a
    # contact of its own, with no rate limit and no acknowledgement (it would only reach
    # the gateway).
    from_gateway = "fax" in row.flags
    earlier = None if from_gateway else _thread(session, mail)
    automatic = bool(mail.automatic) and not from_gateway
    if earlier is not None and earlier.status in OPEN_STATUSES:
        row.contact_id = earlier.id
        session.add(
            ContactEvent(
                contact_id=earlier.id, at=row.received_at, kind="message", detail={"mail": row.id}
            )
        )
        return []
    if automatic and earlier is None:
        return []  # an auto-reply, list post or bounce about nothing we know: kept only
    if not from_gateway and _over_rate(session, mail.sender, settings):
        row.flags = [*row.flags, "rate_limited"]
        log.warning("mail.rate_limited", sender=mail.sender)
        return []
    channel = Channel.FAX if from_gateway else Channel.EMAIL
    queue = (
        earlier.queue
        if earlier is not None
        else _queue_for(session, row.recipients, channel, settings)
    )
    if queue is None:
        row.flags = [*row.flags, "no_queue"]
        return []
    contact, command = add_contact(
        session,
        ContactCreate(
            channel=channel,
            queue_id=queue.id,
            address=mail.sender,
            subject=mail.subject[:500],
        ),
        at=row.received_at,
    )
    row.contact_id = contact.id
    if earlier is not None:
        session.add(
            ContactEvent(
                contact_id=contact.id,
                at=row.received_at,
                kind="follows",
                detail={"contact_id": earlier.id},
            )
        )
    elif settings.mail_acknowledge and not automatic and not from_gateway:
        mail_out.queue_acknowledgement(session, contact, row, settings)
    return [command.id]


def _thread(session: Session, mail: ParsedMail) -> Contact | None:
    """The contact this message answers: by its headers, else by ``[FL-n]`` and sender."""
    if mail.thread_ids:
        contact_id = session.scalars(
            select(MailMessage.contact_id)
            .where(MailMessage.message_id.in_(mail.thread_ids), MailMessage.contact_id.is_not(None))
            .order_by(MailMessage.id.desc())
        ).first()
        if contact_id is not None:
            return session.get(Contact, contact_id)
    number = mail.reference_number
    if number is not None:
        contact = session.get(Contact, number)
        # Only the customer's own address may thread by number: numbers can be guessed.
        if contact is not None and contact.address.lower() == mail.sender:
            return contact
    return None


def _over_rate(session: Session, sender: str, settings: Settings) -> bool:
    """A loop with another robot, or a flood: too many messages from one sender lately."""
    recent = session.scalar(
        select(func.count())
        .select_from(MailMessage)
        .where(
            MailMessage.sender == sender,
            MailMessage.direction == Direction.INBOUND,
            MailMessage.received_at >= utcnow() - RATE_WINDOW,
        )
    )
    # The message being received is already flushed and counted.
    return int(recent or 0) > settings.mail_sender_limit_per_hour


def _queue_for(
    session: Session, recipients: list[str], channel: Channel, settings: Settings
) -> Queue | None:
    """The ``channel`` queue named by a recipient's local part, else the default queue.

    The default (``mail_default_queue``) names an e-mail queue; faxes without a named
    queue go to the first active fax queue.
    """
    codes = [address.split("@")[0].upper() for address in recipients]
    if channel is Channel.EMAIL:
        codes.append(settings.mail_default_queue.upper())
    channel_queues = (
        select(Queue)
        .join(Skill, Skill.id == Queue.skill_id)
        .where(Queue.active.is_(True), Skill.channel == channel)
    )
    for code in codes:
        if code:
            queue = session.scalars(channel_queues.where(func.upper(Queue.code) == code)).first()
            if queue is not None:
                return queue
    return session.scalars(channel_queues.order_by(Queue.id)).first()
