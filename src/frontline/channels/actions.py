"""The agent's side of e-mail: a reply queued in the outbox, and the thread to read."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from frontline.auth.access import can_handle_contacts, require
from frontline.auth.models import User
from frontline.channels import mail_out
from frontline.channels.models import MailAttachment, MailMessage, OutboxMail, OutboxStatus
from frontline.channels.schemas import AttachmentRead, MessageRead, ReplyCreate
from frontline.contacts.models import OPEN_STATUSES
from frontline.contacts.service import get_contact
from frontline.core.errors import Conflict, NotFound
from frontline.core.settings import Settings
from frontline.org.models import Channel


def reply(
    session: Session, user: User, contact_id: int, payload: ReplyCreate, settings: Settings
) -> MailMessage:
    """Queue the agent's answer; the outbox sender delivers it (``mail_out``)."""
    require(can_handle_contacts, user)
    contact = get_contact(session, user, contact_id)
    if contact.status not in OPEN_STATUSES:
        raise Conflict(f"Contact {contact_id} is {contact.status.value}", field="contact_id")
    if contact.channel not in {Channel.EMAIL, Channel.WEB} or "@" not in contact.address:
        raise Conflict(f"Contact {contact_id} has no e-mail address to answer", field="contact_id")
    outbox = mail_out.queue_reply(session, contact, payload.text, settings, author=user.full_name)
    session.commit()
    return outbox.message


def thread(session: Session, user: User, contact_id: int) -> list[MessageRead]:
    """Every message of the contact, oldest first, outgoing ones with their delivery state."""
    contact = get_contact(session, user, contact_id)
    rows = session.scalars(
        select(MailMessage)
        .where(MailMessage.contact_id == contact.id)
        .options(selectinload(MailMessage.attachments))
        .order_by(MailMessage.received_at, MailMessage.id)
    ).all()
    states: dict[int, OutboxStatus] = {
        mail_id: state
        for mail_id, state in session.execute(
            select(OutboxMail.mail_message_id, OutboxMail.status).where(
                OutboxMail.contact_id == contact.id
            )
        )
    }
    return [
        MessageRead(
            id=row.id,
            direction=row.direction,
            message_id=row.message_id,
            received_at=row.received_at,
            sender=row.sender,
            recipients=row.recipients,
            subject=row.subject,
            text_body=row.text_body,
            html_body=row.html_body,
            flags=row.flags,
            attachments=[AttachmentRead.model_validate(a) for a in row.attachments],
            delivery=states.get(row.id),
        )
        for row in rows
    ]


def attachment(session: Session, user: User, contact_id: int, attachment_id: int) -> MailAttachment:
    """One attachment of the contact's mail, for whoever may see the contact."""
    contact = get_contact(session, user, contact_id)
    found = session.scalars(
        select(MailAttachment)
        .join(MailMessage, MailMessage.id == MailAttachment.message_id)
        .where(MailAttachment.id == attachment_id, MailMessage.contact_id == contact.id)
    ).first()
    if found is None:
        raise NotFound(f"No attachment with id {attachment_id}", field="attachment_id")
    return found


def fax_preview(session: Session, user: User, contact_id: int) -> bytes:
    """The first page of the contact's first fax document, as a PNG."""
    contact = get_contact(session, user, contact_id)
    preview = session.scalars(
        select(MailAttachment.preview_png)
        .join(MailMessage, MailMessage.id == MailAttachment.message_id)
        .where(MailMessage.contact_id == contact.id, MailAttachment.preview_png.is_not(None))
        .order_by(MailAttachment.id)
    ).first()
    if preview is None:
        raise NotFound(f"Contact {contact_id} has no fax preview", field="contact_id")
    return preview
