"""Queries of orders. Every query loads an order's lines with it, in one more statement for
any number of orders (``selectinload``): nothing lazy-loads."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from modules.orders.models import Order, OrderStatus


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ended, in the listing's order (``created_at``, then ``id``, newest first)."""

    created_at: datetime
    id: uuid.UUID


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """What a listing keeps; ``None`` keeps everything."""

    user_id: uuid.UUID | None = None
    status: OrderStatus | None = None
    created_from: datetime | None = None
    created_before: datetime | None = None
    min_total: Decimal | None = None
    max_total: Decimal | None = None


def _with_lines(query: Select[Order]) -> Select[Order]:
    return query.options(selectinload(Order.lines))


async def order(
    session: AsyncSession, *, order_id: uuid.UUID, for_update: bool = False
) -> Order | None:
    """Returns the order with its lines; ``for_update`` locks its row until the transaction
    ends (PostgreSQL), so concurrent transitions of one order apply one after the other."""
    query = _with_lines(select(Order).where(Order.id == order_id))
    if for_update:
        query = query.with_for_update(of=Order)
    return (await session.scalars(query)).one_or_none()


async def browse(
    session: AsyncSession, *, where: OrderFilter, after: Position | None, limit: int
) -> Sequence[Order]:
    """Returns up to ``limit`` matching orders after ``after``, newest first."""
    query = _with_lines(select(Order))
    if where.user_id is not None:
        query = query.where(Order.user_id == where.user_id)
    if where.status is not None:
        query = query.where(Order.status == where.status.value)
    if where.created_from is not None:
        query = query.where(Order.created_at >= where.created_from)
    if where.created_before is not None:
        query = query.where(Order.created_at < where.created_before)
    if where.min_total is not None:
        query = query.where(Order.total >= where.min_total)
    if where.max_total is not None:
        query = query.where(Order.total <= where.max_total)
    if after is not None:
        query = query.where(
            or_(
                Order.created_at < after.created_at,
                and_(Order.created_at == after.created_at, Order.id < after.id),
            )
        )
    query = query.order_by(Order.created_at.desc(), Order.id.desc()).limit(limit)
    return (await session.scalars(query)).all()


async def pending_before(session: AsyncSession, *, before: datetime, limit: int) -> Sequence[Order]:
    """Returns up to ``limit`` pending orders placed before ``before``, oldest first, their
    rows locked; rows another transaction holds (an order being paid) are skipped, not waited
    for (PostgreSQL)."""
    query = (
        _with_lines(select(Order))
        .where(Order.status == OrderStatus.PENDING.value, Order.created_at < before)
        .order_by(Order.created_at, Order.id)
        .limit(limit)
        .with_for_update(of=Order, skip_locked=True)
    )
    return (await session.scalars(query)).all()
