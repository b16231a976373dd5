"""The web chat's protocol through Starlette's test WebSockets, on SQLite and PostgreSQL.

A customer's widget (``/ws/chat``) and the agent's panel (``/ws/chat/agent/{id}``) talk
through the real app and router: the chat is a contact routed to the agent, every
message is acknowledged with its number after it is stored, resent messages are stored
once and a reconnecting widget gets what it missed.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from frontline.channels import chat
from frontline.channels.models import ChatMessage, ChatSession, OutboxMail
from frontline.contacts.models import Contact, ContactStatus
from frontline.core.db import create_session_factory
from frontline.core.settings import Settings
from frontline.web.chat_ws import GroupCommit
from tests.contacts.conftest import Center, caller_of, center
from tests.contacts.test_loop import ok

__all__ = ["caller_of", "center"]

Frame = dict[str, Any]
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def until(socket: WebSocketTestSession, wanted: Callable[[Frame], bool]) -> Frame:
    """Read frames until one is ``wanted``; the others (status, typing…) are skipped."""
    for _ in range(50):
        frame: Frame = socket.receive_json()
        if wanted(frame):
            return frame
    raise AssertionError("the frame never came")


def of_type(kind: str, **values: Any) -> Callable[[Frame], bool]:
    return lambda frame: frame["type"] == kind and all(frame.get(k) == v for k, v in values.items())


def start(
    socket: WebSocketTestSession, center: Center, question: str = "Hello", *, welcomed: bool = False
) -> str:
    if not welcomed:
        welcome = socket.receive_json()
        assert welcome["type"] == "welcome"
        assert [p["id"] for p in welcome["products"]] == [center.chat_queue.skill.product_id]
    socket.send_json(
        {
            "type": "start",
            "name": "Ivan",
            "queue": center.chat_queue.code,
            "question": question,
            "id": "c-1",
        }
    )
    started = until(socket, of_type("started"))
    assert until(socket, of_type("ack", id="c-1"))["seq"] == 1
    return str(started["chat"])


def answered(center: Center, db: Session) -> int:
    """The agent accepts the chat offered to them; the contact's id."""
    contact = db.scalars(select(Contact).where(Contact.queue_id == center.chat_queue.id)).one()
    db.refresh(contact)
    assert contact.status is ContactStatus.OFFERED
    assert ok(center.agent_api.post(f"/api/v1/contacts/{contact.id}/accept"))["applied"]
    return contact.id


def agent_headers(center: Center) -> dict[str, str]:
    return {"Authorization": center.agent_api.headers["Authorization"]}


def ready(center: Center) -> None:
    assert ok(center.agent_api.post("/api/v1/workspace/state", json={"state": "ready"}))["applied"]


def test_a_chat_is_routed_to_the_agent_and_both_sides_talk(
    client: TestClient, center: Center, db: Session
) -> None:
    with client.websocket_connect("/ws/chat") as widget:
        start(widget, center, "My invoice is wrong")
        waiting = until(widget, of_type("status"))
        assert (waiting["status"], waiting["position"]) == ("waiting", 1)
        ready(center)
        contact_id = answered(center, db)
        joined = until(widget, of_type("status", status="active"))
        assert joined["agent"] == center.agent.full_name

        with client.websocket_connect(
            f"/ws/chat/agent/{contact_id}", headers=agent_headers(center)
        ) as panel:
            question = until(panel, of_type("message"))
            assert (question["seq"], question["text"], question["name"]) == (
                1,
                "My invoice is wrong",
                "Ivan",
            )
            panel.send_json({"type": "typing", "on": True})
            assert until(widget, of_type("typing"))["author"] == "agent"
            panel.send_json({"type": "message", "id": "a-1", "text": "Let me look"})
            assert until(panel, of_type("ack", id="a-1"))["seq"] == 2
            reply = until(widget, of_type("message", seq=2))
            assert (reply["author"], reply["text"], reply["name"]) == (
                "agent",
                "Let me look",
                center.agent.full_name,
            )

            widget.send_json({"type": "end"})
            assert until(panel, of_type("status", status="ended"))
    db.expire_all()
    contact = db.get(Contact, contact_id)
    assert contact is not None and contact.status is ContactStatus.WRAP_UP
    wrapped = {"reason_id": center.reason.id, "outcome": "resolved", "notes": "chat"}
    ok(center.agent_api.post(f"/api/v1/contacts/{contact_id}/wrap-up", json=wrapped))


def test_a_resent_message_is_stored_once_and_a_resumed_widget_gets_what_it_missed(
    client: TestClient, center: Center, db: Session
) -> None:
    ready(center)
    with client.websocket_connect("/ws/chat") as widget:
        token = start(widget, center)
        contact_id = answered(center, db)
        widget.send_json({"type": "message", "id": "c-2", "text": "second"})
        assert until(widget, of_type("ack", id="c-2"))["seq"] == 2
    # The widget lost the connection; meanwhile the agent answered twice.
    with client.websocket_connect(
        f"/ws/chat/agent/{contact_id}", headers=agent_headers(center)
    ) as panel:
        for n in (1, 2):
            panel.send_json({"type": "message", "id": f"a-{n}", "text": f"answer {n}"})
            until(panel, of_type("ack", id=f"a-{n}"))
        with client.websocket_connect("/ws/chat") as widget:
            widget.receive_json()  # welcome
            widget.send_json({"type": "resume", "chat": token, "last_seq": 2})
            assert until(widget, of_type("resumed"))["chat"] == token
            # c-2 was acknowledged but the widget resends it, as after a lost ack.
            widget.send_json({"type": "message", "id": "c-2", "text": "second"})
            widget.send_json({"type": "message", "id": "c-3", "text": "third"})
            frames: list[Frame] = []
            while not any(f["type"] == "message" and f["seq"] == 5 for f in frames):
                frames.append(widget.receive_json())
            seen = [f["seq"] for f in frames if f["type"] == "message"]
            assert seen == [3, 4, 5]
            acks = {f["id"]: f["seq"] for f in frames if f["type"] == "ack"}
            assert acks == {"c-2": 2, "c-3": 5}
    texts = db.scalars(
        select(ChatMessage.text)
        .join(ChatSession)
        .where(ChatSession.token == token)
        .order_by(ChatMessage.seq)
    ).all()
    assert texts == ["Hello", "second", "answer 1", "answer 2", "third"]


def test_bad_input_is_refused_with_the_field_named(
    client: TestClient, center: Center, db: Session, settings: Settings
) -> None:
    with client.websocket_connect("/ws/chat") as widget:
        widget.receive_json()
        widget.send_json({"type": "message", "id": "x", "text": "before starting"})
        assert until(widget, of_type("error"))["field"] == "type"
        widget.send_json({"type": "start", "name": "", "question": "q", "id": "c-0"})
        assert until(widget, of_type("error"))["field"] == "name"
        widget.send_json(
            {"type": "start", "name": "Ivan", "question": "q", "product_id": 999999, "id": "c-0"}
        )
        assert until(widget, of_type("error"))["field"] == "product_id"
        widget.send_text("not json")
        assert until(widget, of_type("error"))["message"] == "Not a JSON object"
        start(widget, center, welcomed=True)

        widget.send_json({"type": "message", "id": "long", "text": "x" * 4001})
        refused = until(widget, of_type("error", id="long"))
        assert refused["field"] == "text"
        widget.send_json({"type": "message", "id": "empty", "text": "   "})
        assert until(widget, of_type("error", id="empty"))["field"] == "text"
        # A Windows program named like a picture: its bytes say what it is.
        program = base64.b64encode(b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00").decode()
        widget.send_json({"type": "file", "id": "exe", "name": "photo.png", "data": program})
        assert until(widget, of_type("error", id="exe"))["field"] == "file"
        huge = base64.b64encode(b"\x00" * (settings.chat_max_file_bytes + 10)).decode()
        widget.send_json({"type": "file", "id": "huge", "name": "big.png", "data": huge})
        assert "at most" in until(widget, of_type("error", id="huge"))["message"]
        widget.send_json(
            {
                "type": "file",
                "id": "png",
                "name": "screen.txt",
                "data": base64.b64encode(PNG).decode(),
            }
        )
        assert until(widget, of_type("ack", id="png"))["seq"] == 2
        html = "<script>alert(1)</script><b>bold</b>"
        widget.send_json({"type": "message", "id": "html", "text": html})
        assert until(widget, of_type("message", id="html"))["text"] == html  # text, shown as text
        widget.send_json({"type": "transcript", "email": "not an address"})
        assert until(widget, of_type("error"))["field"] == "email"
        widget.send_json({"type": "transcript", "email": "ivan@example.com"})
        assert until(widget, of_type("transcript"))["queued"] is True
    stored = db.scalars(select(ChatMessage).where(ChatMessage.client_id == "png")).one()
    assert (stored.content_type, stored.filename, stored.size_bytes) == (
        "image/png",
        "screen.txt",
        len(PNG),
    )
    outbox = db.scalars(select(OutboxMail).where(OutboxMail.kind == "transcript")).one()
    assert outbox.message.recipients == ["ivan@example.com"]
    assert "Ivan: <script>alert(1)</script><b>bold</b>" in outbox.message.text_body

    with client.websocket_connect("/ws/chat") as widget:
        widget.receive_json()
        widget.send_json({"type": "resume", "chat": "no-such-chat", "last_seq": 0})
        assert until(widget, of_type("error"))["field"] == "chat"
        with pytest.raises(WebSocketDisconnect) as closed:
            widget.receive_json()
        assert closed.value.code == 4404


def test_an_agent_cannot_open_a_chat_not_in_their_hands(
    client: TestClient, center: Center, db: Session
) -> None:
    with client.websocket_connect("/ws/chat") as widget:
        start(widget, center)
    contact = db.scalars(select(Contact).where(Contact.queue_id == center.chat_queue.id)).one()
    with client.websocket_connect(
        f"/ws/chat/agent/{contact.id}", headers=agent_headers(center)
    ) as panel:
        assert panel.receive_json()["field"] == "contact_id"
        with pytest.raises(WebSocketDisconnect) as closed:
            panel.receive_json()
        assert closed.value.code == 4404
    with client.websocket_connect(f"/ws/chat/agent/{contact.id}") as anonymous:
        assert anonymous.receive_json()["code"] == "not_authenticated"


def test_the_assistant_seam_answers_while_nobody_has_the_chat(
    client: TestClient, center: Center, app: FastAPI
) -> None:
    app.state.chat_assistant = lambda session, chat, message: f"echo: {message.text}"
    try:
        with client.websocket_connect("/ws/chat") as widget:
            start(widget, center)
            assert until(widget, of_type("message", author="assistant"))["text"] == "echo: Hello"
            widget.send_json({"type": "message", "id": "c-2", "text": "anyone?"})
            answer = until(widget, of_type("message", author="assistant"))
            assert (answer["seq"], answer["text"]) == (4, "echo: anyone?")
    finally:
        del app.state.chat_assistant


def test_a_slow_assistant_holds_up_no_message_and_answers_after_them(
    client: TestClient, center: Center, app: FastAPI
) -> None:
    released = threading.Event()
    answered: list[str] = []

    def slow(session: Session, chat: ChatSession, message: ChatMessage) -> str:
        released.wait(5)
        answered.append(message.text)
        return f"echo: {message.text}"

    app.state.chat_assistant = slow
    try:
        with client.websocket_connect("/ws/chat") as widget:
            start(widget, center)
            widget.send_json({"type": "message", "id": "c-2", "text": "anyone?"})
            assert until(widget, of_type("ack", id="c-2"))["seq"] == 2
            assert until(widget, of_type("message", id="c-2"))["seq"] == 2
            # Both acknowledged and the second delivered while the assistant still thinks.
            assert answered == []
            released.set()
            answers = [until(widget, of_type("message", author="assistant")) for _ in "12"]
            assert [(a["seq"], a["text"]) for a in answers] == [
                (3, "echo: Hello"),
                (4, "echo: anyone?"),
            ]
    finally:
        del app.state.chat_assistant


def test_messages_that_come_together_are_stored_in_one_commit_each_chat_numbered(
    client: TestClient, center: Center, db: Session, app: FastAPI
) -> None:
    tokens = []
    for _ in range(2):
        with client.websocket_connect("/ws/chat") as widget:
            tokens.append(start(widget, center))
    first, second = (
        db.scalars(select(ChatSession).where(ChatSession.token == t)).one() for t in tokens
    )
    # Sessions of their own, to count the commits of the batches alone.
    factory = create_session_factory(app.state.session_factory.kw["bind"])
    commits: list[Session] = []
    event.listen(factory, "after_commit", commits.append)
    batches = GroupCommit(factory, lanes=1)
    drafts = [
        chat.Draft(first.id, "c-2", chat.CUSTOMER, "two"),
        chat.Draft(second.id, "c-2", chat.CUSTOMER, "two"),
        chat.Draft(first.id, "c-3", chat.CUSTOMER, "three"),
    ]
    outcomes: dict[str, object] = {}

    def store(draft: chat.Draft) -> None:
        outcomes[f"{draft.chat_id}/{draft.client_id}"] = batches.store(draft, None, False)[0]

    lane = batches.lanes[0]

    def store_together(together: list[chat.Draft]) -> None:
        # While a batch is being stored (its lock held), the next messages queue up, in
        # order, and then go in together.
        with lane.leader:
            threads = [threading.Thread(target=store, args=(d,)) for d in together]
            for queued, thread in enumerate(threads, start=1):
                thread.start()
                while len(lane.queue) < queued:
                    time.sleep(0.001)
        for thread in threads:
            thread.join(10)

    store_together(drafts)  # one commit for the three
    assert outcomes == {f"{first.id}/c-2": 2, f"{second.id}/c-2": 2, f"{first.id}/c-3": 3}
    assert len(commits) == 1

    # A resend among them: the batch is stored one message at a time instead, the resend
    # acknowledged with its first number and stored once.
    store_together(
        [
            chat.Draft(first.id, "c-4", chat.CUSTOMER, "four"),
            chat.Draft(first.id, "c-2", chat.CUSTOMER, "two"),
        ]
    )
    assert (outcomes[f"{first.id}/c-4"], outcomes[f"{first.id}/c-2"]) == (4, 2)
    texts = db.scalars(
        select(ChatMessage.text).where(ChatMessage.chat_id == first.id).order_by(ChatMessage.seq)
    ).all()
    assert texts == ["Hello", "two", "three", "four"]
