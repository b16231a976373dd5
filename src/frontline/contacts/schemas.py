"""API shapes of contacts, their history, wrap-up and the agent's routing state."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from frontline.contacts.models import ContactStatus, Direction, Outcome
from frontline.core.fields import Id, LanguageCode, Name
from frontline.core.paging import PageParams
from frontline.core.resources import ListFilters
from frontline.core.schemas import Input, partial_model
from frontline.customers.schemas import Phone
from frontline.org.models import Channel
from frontline.org.schemas import Read
from frontline.routing.model import EscalationMode, NotReadyReason


class ContactCreate(Input):
    """A contact arriving on any channel; channels and tests create them through this."""

    channel: Channel
    queue_id: Id
    direction: Direction = Direction.INBOUND
    address: str = Field(default="", max_length=254, description="Phone or e-mail address")
    subject: str = Field(default="", max_length=500)
    language: LanguageCode | None = None
    priority: float = Field(default=0.0, ge=-1000, le=1000)
    product_id: Id | None = None
    customer_id: Id | None = None


class ContactEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    kind: str
    agent_id: int | None
    queue_id: int | None
    detail: dict[str, Any]


class ContactRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    channel: Channel
    direction: Direction
    status: ContactStatus
    customer_id: int | None
    product_id: int | None
    queue_id: int
    agent_id: int | None
    address: str
    subject: str
    language: str
    priority: float
    callback_number: str | None
    arrived_at: datetime
    queued_at: datetime | None
    offered_at: datetime | None
    answered_at: datetime | None
    abandoned_at: datetime | None
    ended_at: datetime | None
    wrap_up_ended_at: datetime | None
    reason_id: int | None
    outcome: Outcome | None
    notes: str
    solved_by_article_id: int | None = None


class ContactDetail(ContactRead):
    events: list[ContactEventRead]


class ContactListQuery(PageParams):
    status: ContactStatus | None = None
    queue_id: Id | None = None
    agent_id: Id | None = None
    customer_id: Id | None = None
    channel: Channel | None = None


class WrapUp(Input):
    reason_id: Id
    outcome: Outcome
    notes: str = Field(default="", max_length=4000)
    customer_id: Id | None = Field(
        default=None, description="Link an unknown caller to a customer found by hand"
    )
    article_id: Id | None = Field(
        default=None, description="The knowledge-base article that solved it"
    )


class Transfer(Input):
    queue_id: Id | None = None
    agent_id: Id | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Transfer:
        if (self.queue_id is None) == (self.agent_id is None):
            raise ValueError("give exactly one of queue_id and agent_id")
        return self


class Escalation(Input):
    agent_id: Id = Field(description="The supervisor's agent record; they must be logged in")
    mode: EscalationMode = EscalationMode.WARM


class CallbackRequest(Input):
    number: Phone


class StateChange(Input):
    state: Literal["ready", "not_ready", "logged_out"]
    reason: NotReadyReason | None = None

    @model_validator(mode="after")
    def _reason_only_when_not_ready(self) -> StateChange:
        if self.reason is not None and self.state != "not_ready":
            raise ValueError("a reason goes with state not_ready only")
        if self.reason is NotReadyReason.MISSED_OFFER:
            raise ValueError("missed_offer is set by the router, not chosen")
        return self


class Routed(BaseModel):
    """The router's answer to a command: what it decided, if it answered in time."""

    applied: bool
    decisions: list[dict[str, Any]] = []


class AgentStateRead(BaseModel):
    agent_id: int
    state: str
    reason: str | None
    since: datetime | None


class WaitEstimate(BaseModel):
    queue_id: int
    waiting: int
    agents_serving: int
    average_handle_seconds: float
    estimated_wait_seconds: float | None = Field(
        description="For a contact joining now; null when nobody serves the queue"
    )


class WrapUpTopicCreate(Input):
    product_id: Id
    name: Name


class WrapUpTopicRead(Read, WrapUpTopicCreate):
    pass


class WrapUpTopicFilters(ListFilters):
    product_id: Id | None = None


class WrapUpReasonCreate(Input):
    topic_id: Id
    name: Name


class WrapUpReasonRead(Read, WrapUpReasonCreate):
    pass


class WrapUpReasonFilters(ListFilters):
    topic_id: Id | None = None


WrapUpTopicUpdate = partial_model(WrapUpTopicCreate, "WrapUpTopicUpdate")
WrapUpReasonUpdate = partial_model(WrapUpReasonCreate, "WrapUpReasonUpdate")
