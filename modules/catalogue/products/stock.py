"""Queries on the stock of many products at once, for other modules' checkouts and
cancellations: a constant number of statements whatever the number of products."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from sqlalchemy import case, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core import utcnow
from modules.catalogue.models import Product


async def products(
    session: AsyncSession, *, ids: Collection[int], skus: Collection[str]
) -> Sequence[Product]:
    """Returns the products having one of ``ids`` or ``skus`` (no relation loaded), in one
    SELECT."""
    conditions = []
    if ids:
        conditions.append(Product.id.in_(ids))
    if skus:
        conditions.append(Product.sku.in_(skus))
    if not conditions:
        return []
    return (await session.scalars(select(Product).where(or_(*conditions)))).all()


async def lock_stock(session: AsyncSession, *, product_ids: Collection[int]) -> dict[int, int]:
    """Returns the stock of each existing product of ``product_ids``, their rows locked until
    the transaction ends (PostgreSQL).

    The rows are locked in id order, so two transactions locking overlapping sets wait for
    each other instead of deadlocking.
    """
    query = (
        select(Product.id, Product.stock)
        .where(Product.id.in_(product_ids))
        .order_by(Product.id)
        .with_for_update()
    )
    return {product_id: stock for product_id, stock in await session.execute(query)}  # noqa: C416 - rows are Row objects


async def add_stock(session: AsyncSession, *, changes: Mapping[int, int]) -> None:
    """Adds each of ``changes`` (negative: takes) to its product's stock, in one UPDATE that
    also gives each product a new version."""
    await session.execute(
        update(Product)
        .where(Product.id.in_(changes))
        .values(
            stock=Product.stock + case(changes, value=Product.id, else_=0),
            version=Product.version + 1,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
