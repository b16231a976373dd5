"""The agent's e-mail page: the thread, sanitised, and a reply that goes to the outbox."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.auth.models import Role
from frontline.channels.models import OutboxMail
from frontline.contacts.models import Contact
from tests.channels.conftest import Listener, sample
from tests.web.conftest import SignedIn, csrf_of


def test_the_thread_is_shown_and_answered(
    listener: Listener, signed_in: SignedIn, db: Session
) -> None:
    listener.send(sample("html_only.eml"))
    contact = db.scalars(select(Contact)).one()
    browser, _ = signed_in(Role.SUPERVISOR)
    page = browser.get(f"/mail/{contact.id}")
    assert page.status_code == 200
    assert "<p>Hello &amp; welcome</p>" in page.text
    assert "alert(1)" not in page.text
    answer = browser.post(
        f"/mail/{contact.id}/reply",
        data={"csrf_token": csrf_of(page.text), "text": "Welcome indeed."},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    db.expire_all()
    kinds = sorted(row.kind for row in db.scalars(select(OutboxMail)))
    assert kinds == ["acknowledgement", "reply"]
    assert "Welcome indeed." in browser.get(f"/mail/{contact.id}").text


def test_an_agent_cannot_open_a_contact_not_theirs(
    listener: Listener, signed_in: SignedIn, db: Session
) -> None:
    listener.send(sample("plain.eml"))
    contact = db.scalars(select(Contact)).one()
    browser, _ = signed_in(Role.AGENT)
    assert browser.get(f"/mail/{contact.id}").status_code == 404
