"""The center's structure: sites, products, skills, queues and teams."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontline.core.columns import Deactivatable, Timestamped, enum_column
from frontline.core.db import Base
from frontline.metrics.model import AbandonTreatment


class Channel(StrEnum):
    VOICE = "voice"
    EMAIL = "email"
    CHAT = "chat"
    WEB = "web"
    FAX = "fax"


class Site(Timestamped, Deactivatable, Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2))
    time_zone: Mapped[str] = mapped_column(String(64))


class Product(Timestamped, Deactivatable, Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(2000), default="")


class Skill(Timestamped, Deactivatable, Base):
    """What an agent can handle: one product, in one language, on one channel."""

    __tablename__ = "skills"
    __table_args__ = (UniqueConstraint("product_id", "language", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))

    product: Mapped[Product] = relationship()


class Queue(Timestamped, Deactivatable, Base):
    __tablename__ = "queues"
    __table_args__ = (
        CheckConstraint(
            "service_level_target > 0 AND service_level_target <= 1", name="service_level"
        ),
        CheckConstraint("target_answer_seconds > 0", name="target_answer"),
        CheckConstraint("min_proficiency BETWEEN 1 AND 5", name="min_proficiency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"), index=True)
    min_proficiency: Mapped[int] = mapped_column(default=1)
    service_level_target: Mapped[float] = mapped_column(default=0.9)
    target_answer_seconds: Mapped[int] = mapped_column(default=20)
    wrap_up_limit_seconds: Mapped[int] = mapped_column(default=120)
    # How abandoned contacts count in the service level (``frontline.metrics``).
    service_level_policy: Mapped[AbandonTreatment] = mapped_column(
        enum_column(AbandonTreatment), default=AbandonTreatment.SHORT_IGNORED
    )
    short_abandon_seconds: Mapped[int] = mapped_column(default=5)
    # Routing: effective priority = priority + aging_per_second x seconds waited.
    priority: Mapped[float] = mapped_column(default=0.0)
    aging_per_second: Mapped[float] = mapped_column(default=0.0)
    offer_timeout_seconds: Mapped[int] = mapped_column(default=20)

    skill: Mapped[Skill] = relationship()


class Team(Timestamped, Deactivatable, Base):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("site_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    site: Mapped[Site] = relationship()


class QueueOverflowStep(Timestamped, Deactivatable, Base):
    """After ``after_seconds`` of waiting, agents with this skill may also take the queue's
    contacts; no skill means any agent who serves the queue's channel."""

    __tablename__ = "queue_overflow_steps"
    __table_args__ = (
        UniqueConstraint("queue_id", "after_seconds"),
        CheckConstraint("after_seconds >= 0", name="after_seconds"),
        CheckConstraint("min_proficiency BETWEEN 1 AND 5", name="min_proficiency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    queue_id: Mapped[int] = mapped_column(ForeignKey("queues.id"), index=True)
    after_seconds: Mapped[int]
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id"))
    min_proficiency: Mapped[int] = mapped_column(default=1)
