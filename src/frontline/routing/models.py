"""The router's tables: agents' live states and the inbox of routing commands.

The pure engine beside this module holds the live state in memory; these rows are what
a router rebuilds it from after a restart or a take-over by another node.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from frontline.core.db import Base


class AgentPresence(Base):
    """An agent's routing state as the active router last committed it."""

    __tablename__ = "agent_presence"

    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), primary_key=True)
    # An ``AgentState`` value: what supervisors see.
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(32))
    since: Mapped[datetime]
    # The serialised ``AgentSnapshot`` without its configuration; None when logged out.
    routing_state: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AgentStateSpan(Base):
    """A stretch of time in one state: occupancy and adherence are computed from these."""

    __tablename__ = "agent_state_spans"
    __table_args__ = (Index("ix_agent_state_spans_agent_started", "agent_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class RoutingCommand(Base):
    """One input for the router, committed by whichever node received it.

    Every change of routing state goes through here, so it does not matter which node a
    request reaches: the active router applies the commands in id order, each in one
    transaction with its effects, and marks it processed.
    """

    __tablename__ = "routing_commands"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    processed_at: Mapped[datetime | None] = mapped_column(index=True)
    # What the router answered, or why it refused (``{"field": ..., "message": ...}``).
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON)
