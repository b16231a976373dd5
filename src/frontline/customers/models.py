"""Customers (people or companies) with their phones, e-mails and flags."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontline.core.columns import Deactivatable, Timestamped, enum_column
from frontline.core.db import Base


class CustomerKind(StrEnum):
    PERSON = "person"
    COMPANY = "company"


class Customer(Timestamped, Deactivatable, Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    kind: Mapped[CustomerKind] = mapped_column(enum_column(CustomerKind))
    name: Mapped[str] = mapped_column(String(300), index=True)
    inn: Mapped[str | None] = mapped_column(String(12), index=True)
    city: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(8), default="ru")
    vulnerable: Mapped[bool] = mapped_column(default=False)
    abusive: Mapped[bool] = mapped_column(default=False)
    flag_note: Mapped[str] = mapped_column(String(2000), default="")

    phones: Mapped[list[CustomerPhone]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="CustomerPhone.id"
    )
    emails: Mapped[list[CustomerEmail]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="CustomerEmail.id"
    )


class CustomerPhone(Base):
    """A phone in E.164; indexed because incoming calls are matched by it."""

    __tablename__ = "customer_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    e164: Mapped[str] = mapped_column(String(16), index=True)

    customer: Mapped[Customer] = relationship(back_populates="phones")


class CustomerEmail(Base):
    """An address stored lower-cased; incoming mail is matched by it."""

    __tablename__ = "customer_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    address: Mapped[str] = mapped_column(String(254), index=True)

    customer: Mapped[Customer] = relationship(back_populates="emails")
