"""API shapes of telephony integrations, the dial plan and the CTI events."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from frontline.core.fields import Code, Id, LanguageCode, Name
from frontline.core.resources import ListFilters
from frontline.core.schemas import Input, partial_model
from frontline.org.schemas import Read

Token = Field(min_length=1, max_length=128, pattern=r"^[\w.:@+-]+$")


class IntegrationCreate(Input):
    code: Code
    name: Name
    secret: str = Field(min_length=16, max_length=128, description="Shared HMAC key")


class IntegrationRead(Read, IntegrationCreate):
    pass


class DialPlanCreate(Input):
    dialled: str = Field(min_length=1, max_length=32, pattern=r"^\+?[0-9*#]+$")
    ivr_choice: str = Field(default="", max_length=32, pattern=r"^[0-9*#]*$")
    queue_id: Id


class DialPlanRead(Read, DialPlanCreate):
    pass


class DialPlanFilters(ListFilters):
    queue_id: Id | None = None


IntegrationUpdate = partial_model(IntegrationCreate, "IntegrationUpdate")
DialPlanUpdate = partial_model(DialPlanCreate, "DialPlanUpdate")

EventType = Literal["offered", "answered", "transferred", "ended", "abandoned", "callback"]


class CtiEvent(Input):
    """One call event from a PBX; fields beyond the common ones depend on ``type``."""

    event_id: str = Token
    call_id: str = Token
    type: EventType
    at: datetime | None = Field(default=None, description="When it happened at the PBX")
    # offered
    caller: str | None = Field(default=None, max_length=32)
    dialled: str | None = Field(default=None, max_length=32)
    ivr_choice: str = Field(default="", max_length=32)
    queue: Code | None = Field(default=None, description="Queue code; else the dial plan")
    language: LanguageCode | None = None
    # answered: who picked up
    extension: str | None = Field(default=None, max_length=32)
    # transferred: where to
    target_queue: Code | None = None
    target_extension: str | None = Field(default=None, max_length=32)
    # callback: the number to call back
    number: str | None = Field(default=None, max_length=32)

    @field_validator("at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("needs a time zone, e.g. 2026-11-23T10:00:00Z")
        return value

    def missing(self) -> tuple[str, str] | None:
        """The field this type of event needs and lacks, with the message to give."""
        if self.type == "offered" and not (self.queue or self.dialled):
            return "queue", "an offered call needs queue or dialled"
        if self.type == "transferred" and not (self.target_queue or self.target_extension):
            return "target_queue", "a transfer needs target_queue or target_extension"
        if self.type == "callback" and not self.number:
            return "number", "a callback needs number"
        return None


class CtiAnswer(BaseModel):
    """What the PBX should do now; a repeated event gets the same answer again."""

    event_id: str
    contact_id: int | None
    status: str
    action: Literal["ring", "queue", "none"]
    extension: str | None = None
    agent_id: int | None = None
    estimated_wait_seconds: float | None = None
    pending: bool = Field(default=False, description="Kept until the call's earlier events arrive")
