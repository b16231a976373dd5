"""API shapes of the written channels: the agent's reply, a thread, a web request."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from frontline.channels.models import OutboxStatus
from frontline.contacts.models import Direction
from frontline.core.fields import Id, Name
from frontline.core.resources import ListFilters
from frontline.core.schemas import Input, partial_model
from frontline.customers.schemas import Phone
from frontline.org.schemas import Read

CONTACT_NEEDED = "contact_needed"


class ReplyCreate(Input):
    text: str = Field(min_length=1, max_length=20000, description="The agent's answer")


class AttachmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    filename: str
    content_type: str
    size_bytes: int
    inline: bool
    has_preview: bool = Field(default=False, description="A fax whose first page is shown as a PNG")


class MessageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    direction: Direction
    message_id: str
    received_at: datetime
    sender: str
    recipients: list[str]
    subject: str
    text_body: str
    html_body: str = Field(description="Sanitised; safe to show as HTML")
    flags: list[str]
    attachments: list[AttachmentRead]
    delivery: OutboxStatus | None = Field(
        default=None, description="For outgoing mail: pending, sending or sent"
    )


class WebRequestCreate(Input):
    """An order or request from the public form; a phone or an e-mail is required."""

    name: Name
    address: str = Field(default="", max_length=500, description="Postal address")
    phone: Phone | None = None
    # Validated even when left out: it is where "give a phone or an e-mail" is said.
    email: EmailStr | None = Field(default=None, validate_default=True)
    product_id: Id
    preferred_at: datetime | None = Field(default=None, description="Preferred date and time")
    comment: str = Field(default="", max_length=4000)
    # Hidden from people by the form; robots fill every input they find.
    website: str = Field(default="", max_length=500, description="Leave empty")

    @field_validator("email")
    @classmethod
    def _reachable(cls, email: str | None, info: ValidationInfo) -> str | None:
        if email is None and info.data.get("phone") is None and "phone" not in info.data:
            return email  # the phone itself was invalid; its own error says so
        if email is None and info.data.get("phone") is None:
            raise PydanticCustomError(
                CONTACT_NEEDED, "give a phone or an e-mail so that we can answer"
            )
        return email


class WebRequestAccepted(BaseModel):
    reference: str = Field(description="The number to quote, e.g. FL-123")


class AcknowledgementCreate(Input):
    queue_id: Id
    text: str = Field(
        min_length=1, max_length=4000, description="{reference} and {queue} are replaced"
    )


class AcknowledgementRead(Read, AcknowledgementCreate):
    pass


class AcknowledgementFilters(ListFilters):
    queue_id: Id | None = None


class SignatureCreate(Input):
    product_id: Id
    text: str = Field(min_length=1, max_length=2000)


class SignatureRead(Read, SignatureCreate):
    pass


class SignatureFilters(ListFilters):
    product_id: Id | None = None


AcknowledgementUpdate = partial_model(AcknowledgementCreate, "AcknowledgementUpdate")
SignatureUpdate = partial_model(SignatureCreate, "SignatureUpdate")
