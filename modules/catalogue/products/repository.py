"""Queries of products. Every function states what it loads; nothing lazy-loads."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    exists,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, joinedload, selectinload

from core import utcnow
from core.db import AnyRow
from modules.catalogue.categories.repository import subtree
from modules.catalogue.models import Category, Product, ProductStatus, Tag, product_tags
from modules.catalogue.products.cursor import Cursor, ProductSort, SortKey

# --- products -----------------------------------------------------------------------------------


def _with_relations(query: Select[Product]) -> Select[Product]:
    # The category joins in the same statement; all the page's tags come in one more.
    return query.options(joinedload(Product.category), selectinload(Product.tags))


async def product(
    session: AsyncSession,
    *,
    product_id: int | None = None,
    sku: str | None = None,
    for_update: bool = False,
) -> Product | None:
    """Returns the product with this id or SKU, its category and tags loaded; ``for_update``
    locks its row until the transaction ends (PostgreSQL)."""
    query = _with_relations(select(Product))
    query = query.where(Product.id == product_id if sku is None else Product.sku == sku)
    if for_update:
        query = query.with_for_update(of=Product)
    return (await session.scalars(query)).unique().one_or_none()


async def products_by_sku(session: AsyncSession, *, skus: Collection[str]) -> dict[str, Product]:
    """Returns the products with these SKUs, category and tags loaded, by SKU."""
    query = _with_relations(select(Product).where(Product.sku.in_(skus)))
    return {found.sku: found for found in (await session.scalars(query)).unique()}


async def product_slugs_taken(session: AsyncSession, *, slugs: Collection[str]) -> dict[str, str]:
    """Returns, for each of ``slugs`` a product already has, that product's SKU."""
    rows = await session.execute(select(Product.slug, Product.sku).where(Product.slug.in_(slugs)))
    return {slug: sku for slug, sku in rows}  # noqa: C416 - rows are Row objects


async def slug_exists(session: AsyncSession, *, slug: str) -> bool:
    """Returns whether a product has ``slug``."""
    return bool(await session.scalar(select(exists().where(Product.slug == slug))))


async def sku_exists(session: AsyncSession, *, sku: str) -> bool:
    """Returns whether a product has ``sku``."""
    return bool(await session.scalar(select(exists().where(Product.sku == sku))))


@dataclass(frozen=True, slots=True)
class ProductFilter:
    """What a listing keeps; ``None`` keeps everything."""

    statuses: Collection[ProductStatus] | None = None
    category_slug: str | None = None
    tag_slug: str | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool | None = None
    text: str | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        """Returns the WHERE conditions, each a single expression (subqueries, not joins)."""
        found: list[ColumnElement[bool]] = []
        if self.statuses is not None:
            found.append(Product.status.in_([status.value for status in self.statuses]))
        if self.category_slug is not None:
            tree = subtree(Category.slug == self.category_slug)
            found.append(Product.category_id.in_(select(tree.c.id)))
        if self.tag_slug is not None:
            tagged = (
                select(product_tags.c.product_id)
                .join(Tag, Tag.id == product_tags.c.tag_id)
                .where(Tag.slug == self.tag_slug)
            )
            found.append(Product.id.in_(tagged))
        if self.min_price is not None:
            found.append(Product.price >= self.min_price)
        if self.max_price is not None:
            found.append(Product.price <= self.max_price)
        if self.in_stock is not None:
            found.append(Product.stock > 0 if self.in_stock else Product.stock == 0)
        if self.text:
            found.append(Product.search_text.contains(self.text.casefold(), autoescape=True))
        return found


SORT_KEYS: dict[ProductSort, tuple[InstrumentedAttribute[SortKey], bool]] = {
    ProductSort.NAME: (Product.name, False),
    ProductSort.NAME_DESC: (Product.name, True),
    ProductSort.PRICE: (Product.price, False),
    ProductSort.PRICE_DESC: (Product.price, True),
    ProductSort.NEWEST: (Product.created_at, True),
}


# The columns of a product's answer (``ProductRead``), under its field names, and its version,
# which goes in the ``ETag`` header only.
_ANSWER_COLUMNS = (
    Product.id,
    Product.sku,
    Product.slug,
    Product.name,
    Product.description,
    Product.price,
    Product.stock,
    Product.status,
    Product.created_at,
    Product.updated_at,
    Product.version,
    Category.id.label("category_id"),
    Category.slug.label("category_slug"),
    Category.name.label("category_name"),
)


async def product_rows(
    session: AsyncSession,
    *,
    where: ProductFilter,
    sort: ProductSort,
    after: Cursor | None,
    limit: int,
) -> Sequence[AnyRow]:
    """Returns the rows of up to ``limit`` products matching ``where`` that come after ``after``
    in ``sort`` order (sort key, then id), each with its category's columns: one statement."""
    column, descending = SORT_KEYS[sort]
    query = select(*_ANSWER_COLUMNS).join(Product.category).where(*where.conditions())
    if after is not None:
        if descending:
            beyond = or_(column < after.key, and_(column == after.key, Product.id < after.id))
        else:
            beyond = or_(column > after.key, and_(column == after.key, Product.id > after.id))
        query = query.where(beyond)
    order = (column.desc(), Product.id.desc()) if descending else (column.asc(), Product.id.asc())
    return (await session.execute(query.order_by(*order).limit(limit))).all()


async def product_row(session: AsyncSession, *, product_id: int) -> AnyRow | None:
    """Returns the row of the product with this id, with its category's columns."""
    query = select(*_ANSWER_COLUMNS).join(Product.category).where(Product.id == product_id)
    return (await session.execute(query)).one_or_none()


async def tag_rows(
    session: AsyncSession, *, product_ids: Collection[int]
) -> dict[int, list[AnyRow]]:
    """Returns the tags (``slug``, ``name``) of each of ``product_ids``, by slug: one statement."""
    query = (
        select(product_tags.c.product_id, Tag.slug, Tag.name)
        .join(Tag, Tag.id == product_tags.c.tag_id)
        .where(product_tags.c.product_id.in_(product_ids))
        .order_by(product_tags.c.product_id, Tag.slug)
    )
    found: dict[int, list[AnyRow]] = {}
    for row in await session.execute(query):
        found.setdefault(row.product_id, []).append(row)
    return found


async def take_stock(session: AsyncSession, *, product_id: int, quantity: int) -> bool:
    """Removes ``quantity`` units in one conditional UPDATE; returns whether there were enough.

    The database checks and decrements in the same statement, so concurrent callers can never
    take more than there is (no read-modify-write).
    """
    result = await session.execute(
        update(Product)
        .where(Product.id == product_id, Product.stock >= quantity)
        .values(stock=Product.stock - quantity, version=Product.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def return_stock(session: AsyncSession, *, product_id: int, quantity: int) -> bool:
    """Adds ``quantity`` units back in one UPDATE; returns whether the product exists."""
    result = await session.execute(
        update(Product)
        .where(Product.id == product_id)
        .values(stock=Product.stock + quantity, version=Product.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]
