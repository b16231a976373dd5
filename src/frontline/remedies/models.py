"""Standard solutions: the remedies a product's support may grant, and each grant.

The source documents' "prescribed solutions for standard problems" (courier late → free
redelivery; defective item → exchange plus a discount voucher): per product and problem
type, with an absolute maximum and the part an agent may grant alone. A grant above the
agent's limit waits for a supervisor; every grant is recorded on its contact.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontline.auth.models import User
from frontline.contacts.models import Contact
from frontline.core.columns import Deactivatable, Timestamped, enum_column
from frontline.core.db import Base
from frontline.org.models import Product


class Remedy(Timestamped, Deactivatable, Base):
    __tablename__ = "remedies"
    __table_args__ = (UniqueConstraint("product_id", "problem", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    problem: Mapped[str] = mapped_column(String(200))  # the problem type it answers
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(1000), default="")
    # Whole currency units; 0 for a remedy with no money in it (a redelivery).
    max_amount: Mapped[int] = mapped_column(default=0)
    agent_limit: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship()


class GrantStatus(StrEnum):
    PENDING = "pending"  # above the agent's limit: waits for a supervisor
    GRANTED = "granted"
    DECLINED = "declined"


class RemedyGrant(Base):
    __tablename__ = "remedy_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    remedy_id: Mapped[int] = mapped_column(ForeignKey("remedies.id"), index=True)
    amount: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(String(1000), default="")
    status: Mapped[GrantStatus] = mapped_column(enum_column(GrantStatus), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str] = mapped_column(String(500), default="")

    contact: Mapped[Contact] = relationship()
    remedy: Mapped[Remedy] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
