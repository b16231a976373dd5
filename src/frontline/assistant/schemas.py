"""API shapes of the assistant: a conversation, a customer's message and the answer."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from frontline.core.schemas import Input

MessageText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
]


class ConversationCreate(Input):
    channel: Literal["web", "widget", "ivr"] = "web"
    language: Literal["ru", "en"] = "ru"
    address: str = Field(
        default="", max_length=254, description="the caller's number an IVR knows, if any"
    )


class MessageCreate(Input):
    text: MessageText = Field(description="what the customer typed or an IVR transcribed")


class PointRead(BaseModel):
    code: str
    city: str
    address: str
    hours: str
    station: str
    walk_minutes: int


class ArticleLink(BaseModel):
    id: int
    title: str
    url: str


class Reply(BaseModel):
    """The assistant's answer to one message."""

    conversation_id: str
    intent: str
    text: str
    resolved: bool
    points: list[PointRead] = []
    articles: list[ArticleLink] = []
    # Set once the conversation went to an agent: the contact's reference (FL-…).
    handed_off: str | None = None


class TurnRead(BaseModel):
    text: str
    reply: str
    intent: str


class ConversationRead(BaseModel):
    id: str
    channel: str
    language: str
    greeting: str
    turns: list[TurnRead]
    handed_off: str | None = None
