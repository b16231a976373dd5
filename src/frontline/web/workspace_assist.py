"""The workspace's assist panel for a contact in hand: its call script and, for a contact
the assistant handed off, the conversation so far."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from frontline.contacts.models import Contact
from frontline.people.models import Agent
from frontline.scripts.actions import script_for_contact

TRANSCRIPT_EVENT = "assistant_transcript"


def assist_for(session: Session, contact: Contact, agent: Agent) -> dict[str, Any]:
    transcript: list[dict[str, str]] = next(
        (
            event.detail.get("turns", [])
            for event in contact.events
            if event.kind == TRANSCRIPT_EVENT
        ),
        [],
    )
    return {
        "script": script_for_contact(session, contact, agent.full_name),
        "transcript": transcript,
    }
