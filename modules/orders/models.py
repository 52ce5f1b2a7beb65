"""Tables of the orders module (each named ``orders_…``).

An order copies what it sold from the catalogue (SKU, name, unit price, currency) onto its lines:
a later change in the catalogue never changes an order. Lines keep the product's id without a
foreign key, since the catalogue's tables are its own; the customer is a foreign key to the
users module's public column, set to ``NULL`` when the account is deleted (the order is kept).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

import core.db
from core import utcnow
from core.db import relationship
from modules.users.api import user_id_column

SKU_LENGTH = 64
NAME_LENGTH = 200
NOTE_LENGTH = 1000
PRICE_DIGITS = 12
TOTAL_DIGITS = 14
PLACES = 2


class OrderStatus(StrEnum):
    """Where an order is in its life; the transitions are in :mod:`modules.orders.states`."""

    PENDING = "pending"
    PAID = "paid"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class Base(core.db.ModuleBase):
    """Base of the orders module's tables, in a metadata of their own."""


class Order(Base):
    __tablename__ = "orders_orders"
    __table_args__ = (
        CheckConstraint("total >= 0", name="total_not_negative"),
        CheckConstraint(
            "status IN ('pending', 'paid', 'fulfilled', 'cancelled', 'refunded')",
            name="status_known",
        ),
        # The listing walks (created_at, id) newest first: a customer's own, or everyone's.
        Index("ix_orders_orders_user_id_created_at_id", "user_id", "created_at", "id"),
        Index("ix_orders_orders_created_at_id", "created_at", "id"),
        # Expiry finds the oldest pending orders.
        Index("ix_orders_orders_status_created_at", "status", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey(user_id_column(), ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default=OrderStatus.PENDING.value)
    currency: Mapped[str] = mapped_column(String(3))
    total: Mapped[Decimal] = mapped_column(Numeric(TOTAL_DIGITS, PLACES))
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    lines: Mapped[list[OrderLine]] = relationship(
        order_by="OrderLine.position", cascade="all, delete-orphan", passive_deletes=True
    )

    # The version is the order's ETag, and the guard of its transitions: a write of a version
    # another transaction already replaced fails instead of overwriting it.
    __mapper_args__ = {"version_id_col": version}


class OrderLine(Base):
    __tablename__ = "orders_lines"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
    )

    # A line is its order's n-th: no generated key, so an order's lines are inserted in one
    # executemany, whatever their number.
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders_orders.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    product_id: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(String(SKU_LENGTH))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(PRICE_DIGITS, PLACES))
    quantity: Mapped[int] = mapped_column(Integer)
    line_total: Mapped[Decimal] = mapped_column(Numeric(TOTAL_DIGITS, PLACES))
