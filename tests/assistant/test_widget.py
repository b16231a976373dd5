"""The assistant in the web chat widget: it answers while the customer waits, and asking
for a person hands the waiting chat over with the conversation, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.assistant.models import AssistantConversation
from frontline.assistant.widget import assistant_in_chat, conversation_id_of
from frontline.channels.models import ChatMessage, ChatSession
from frontline.contacts.models import Contact, ContactEvent, ContactStatus
from tests.channels.test_chat import agent_headers, answered, of_type, ready, start, until
from tests.contacts.conftest import Center, caller_of, center

__all__ = ["caller_of", "center"]


@pytest.fixture
def assistant_on(app: FastAPI) -> Iterator[None]:
    app.state.chat_assistant = assistant_in_chat(app.state.catalogs)
    yield
    del app.state.chat_assistant


@pytest.mark.usefixtures("assistant_on")
def test_the_assistant_answers_a_waiting_chat_then_hands_it_to_the_agent(
    client: TestClient, center: Center, db: Session
) -> None:
    with client.websocket_connect("/ws/chat") as widget:
        start(widget, center, "Где ближайший банкомат у метро Курская?")
        atm = until(widget, of_type("message", author="assistant"))
        assert atm["seq"] == 2
        assert "Курская" in atm["text"]

        widget.send_json({"type": "message", "id": "c-2", "text": "Позовите оператора"})
        handed = until(widget, of_type("message", author="assistant"))
        assert handed["seq"] == 4
        chat = db.scalars(select(ChatSession)).one()
        assert f"FL-{chat.contact_id}" in handed["text"]

        # Waiting for a person now: the assistant keeps quiet.
        widget.send_json({"type": "message", "id": "c-3", "text": "Жду"})
        assert until(widget, of_type("ack", id="c-3"))["seq"] == 5

        ready(center)
        contact_id = answered(center, db)
        assert contact_id == chat.contact_id
        with client.websocket_connect(
            f"/ws/chat/agent/{contact_id}", headers=agent_headers(center)
        ) as panel:
            seen = [until(panel, of_type("message")) for _ in range(5)]
            assert [m["author"] for m in seen] == [
                "customer",
                "assistant",
                "customer",
                "assistant",
                "customer",
            ]

    db.expire_all()
    conversation = db.scalars(
        select(AssistantConversation).where(
            AssistantConversation.public_id == conversation_id_of(chat)
        )
    ).one()
    assert (conversation.channel, conversation.handed_off_contact_id) == ("widget", contact_id)
    assert [t.intent for t in conversation.turns] == ["atm", "handoff"]
    transcript = db.scalars(
        select(ContactEvent).where(
            ContactEvent.contact_id == contact_id, ContactEvent.kind == "assistant_transcript"
        )
    ).one()
    assert transcript.detail["turns"][0]["customer"].startswith("Где ближайший банкомат")
    # No second contact: the customer kept their place in the chat's own.
    assert db.scalars(select(Contact)).one().status is ContactStatus.ACTIVE


@pytest.mark.usefixtures("assistant_on")
def test_the_assistant_stays_out_of_a_chat_offered_to_an_agent_or_theirs(
    client: TestClient, center: Center, db: Session
) -> None:
    ready(center)
    question = "Где банкомат у Курской?"
    with client.websocket_connect("/ws/chat") as widget:
        # A free agent is offered the chat: the question is theirs to answer, not the
        # assistant's, and so is what the customer adds before they accept.
        start(widget, center, question)
        widget.send_json({"type": "message", "id": "c-2", "text": question})
        assert until(widget, of_type("ack", id="c-2"))["seq"] == 2
        answered(center, db)
        until(widget, of_type("status", status="active"))
        widget.send_json({"type": "message", "id": "c-3", "text": question})
        assert until(widget, of_type("ack", id="c-3"))["seq"] == 3
    chat = db.scalars(select(ChatSession)).one()
    authors = db.scalars(
        select(ChatMessage.author).where(ChatMessage.chat_id == chat.id).order_by(ChatMessage.seq)
    ).all()
    assert authors == ["customer", "customer", "customer"]
    assert db.scalars(select(AssistantConversation)).all() == []
