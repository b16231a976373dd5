"""Agents: the people who handle contacts, their levels, mentors and skills."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontline.core.columns import Deactivatable, Timestamped, enum_column
from frontline.core.db import Base
from frontline.org.models import Site, Skill, Team


class AgentLevel(StrEnum):
    CONSULTANT = "consultant"
    SPECIALIST = "specialist"
    LEADING_SPECIALIST = "leading_specialist"


class Agent(Timestamped, Deactivatable, Base):
    __tablename__ = "agents"
    __table_args__ = (
        CheckConstraint(
            "contract_hours_per_week > 0 AND contract_hours_per_week <= 60", name="contract_hours"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_number: Mapped[str] = mapped_column(String(32), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    level: Mapped[AgentLevel] = mapped_column(enum_column(AgentLevel))
    hire_date: Mapped[date]
    probation_end: Mapped[date | None]
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), index=True)
    contract_hours_per_week: Mapped[float] = mapped_column(default=40.0)
    # The phone the PBX rings when the router offers this agent a call.
    extension: Mapped[str | None] = mapped_column(String(32), unique=True)

    site: Mapped[Site] = relationship()
    team: Mapped[Team | None] = relationship()
    mentor: Mapped[Agent | None] = relationship(remote_side="Agent.id")
    skills: Mapped[list[AgentSkill]] = relationship(
        back_populates="agent", cascade="all, delete-orphan"
    )


class AgentSkill(Base):
    __tablename__ = "agent_skills"
    __table_args__ = (CheckConstraint("proficiency BETWEEN 1 AND 5", name="proficiency"),)

    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"), primary_key=True, index=True)
    proficiency: Mapped[int]

    agent: Mapped[Agent] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship()
