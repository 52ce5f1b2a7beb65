"""Queries of products. Every function states what it loads; nothing lazy-loads."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    exists,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, joinedload, selectinload

from core import utcnow
from core.db import AnyRow, any_of, read_rows
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

    def shape(self) -> tuple[object, ...]:
        """Returns what the listing's statement depends on: the conditions used, not their
        values (the statuses excepted: a handful of sets, each bound in its own statement)."""
        statuses = None if self.statuses is None else tuple(sorted(self.statuses))
        kept = (self.category_slug, self.tag_slug, self.min_price, self.max_price, self.text)
        return (statuses, self.in_stock, *(value is not None for value in kept))

    def params(self) -> dict[str, object]:
        """Returns the values of the conditions' parameters."""
        found: dict[str, object] = {
            "category_slug": self.category_slug,
            "tag_slug": self.tag_slug,
            "min_price": self.min_price,
            "max_price": self.max_price,
        }
        if self.text:
            found["text"] = _escape_like(self.text.casefold())
        return {name: value for name, value in found.items() if value is not None}

    def conditions(self) -> list[ColumnElement[bool]]:
        """Returns the WHERE conditions, each a single expression (subqueries, not joins), with
        named parameters whose values :meth:`params` gives."""
        found: list[ColumnElement[bool]] = []
        if self.statuses is not None:
            # Bound one by one, not as a list SQLAlchemy expands into the SQL on every execution.
            found.append(Product.status.in_([literal(status.value) for status in self.statuses]))
        if self.category_slug is not None:
            tree = subtree(Category.slug == bindparam("category_slug"))
            found.append(Product.category_id.in_(select(tree.c.id)))
        if self.tag_slug is not None:
            tagged = (
                select(product_tags.c.product_id)
                .join(Tag, Tag.id == product_tags.c.tag_id)
                .where(Tag.slug == bindparam("tag_slug"))
            )
            found.append(Product.id.in_(tagged))
        if self.min_price is not None:
            found.append(Product.price >= bindparam("min_price"))
        if self.max_price is not None:
            found.append(Product.price <= bindparam("max_price"))
        if self.in_stock is not None:
            found.append(Product.stock > 0 if self.in_stock else Product.stock == 0)
        if self.text:
            found.append(Product.search_text.contains(bindparam("text"), escape=_LIKE_ESCAPE))
        return found


_LIKE_ESCAPE = "/"


def _escape_like(text: str) -> str:
    # What `contains(..., autoescape=True)` does to a literal: `%` and `_` match themselves.
    for special in (_LIKE_ESCAPE, "%", "_"):
        text = text.replace(special, _LIKE_ESCAPE + special)
    return text


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
    params = where.params()
    params["limit"] = limit
    if after is not None:
        params.update(after_key=after.key, after_id=after.id)
    shape = (where.shape(), sort, after is not None)
    query = _LISTINGS.get(shape)
    if query is None:
        query = _LISTINGS[shape] = _listing(where, sort, resumes=after is not None)
    return (await read_rows(session, query, params)).all()


# The statement of each shape of listing, built once: SQLAlchemy then neither builds nor
# cache-keys it again. Shapes are few (the conditions used, the sort, resuming or not).
_LISTINGS: dict[tuple[object, ...], Select[*tuple[Any, ...]]] = {}


def _listing(where: ProductFilter, sort: ProductSort, *, resumes: bool) -> Select[*tuple[Any, ...]]:
    column, descending = SORT_KEYS[sort]
    query = select(*_ANSWER_COLUMNS).join(Product.category).where(*where.conditions())
    if resumes:
        key = bindparam("after_key", type_=column.type)
        after_id = bindparam("after_id", type_=Integer)
        if descending:
            beyond = or_(column < key, and_(column == key, Product.id < after_id))
        else:
            beyond = or_(column > key, and_(column == key, Product.id > after_id))
        query = query.where(beyond)
    order = (column.desc(), Product.id.desc()) if descending else (column.asc(), Product.id.asc())
    return query.order_by(*order).limit(bindparam("limit", type_=Integer))


async def product_row(session: AsyncSession, *, product_id: int) -> AnyRow | None:
    """Returns the row of the product with this id, with its category's columns."""
    return (await read_rows(session, _BY_ID, {"product_id": product_id})).one_or_none()


_BY_ID = (
    select(*_ANSWER_COLUMNS).join(Product.category).where(Product.id == bindparam("product_id"))
)


async def tag_rows(
    session: AsyncSession, *, product_ids: Collection[int]
) -> dict[int, list[dict[str, str]]]:
    """Returns the tags (``slug``, ``name``) of each of ``product_ids``, by slug: one statement."""
    found: dict[int, list[dict[str, str]]] = {}
    rows = (await read_rows(session, _TAGS, {"product_ids": list(product_ids)})).all()
    for product_id, slug, name in rows:
        found.setdefault(product_id, []).append({"slug": slug, "name": name})
    return found


_TAGS = (
    select(product_tags.c.product_id, Tag.slug, Tag.name)
    .join(Tag, Tag.id == product_tags.c.tag_id)
    .where(any_of(product_tags.c.product_id, "product_ids"))
    .order_by(product_tags.c.product_id, Tag.slug)
)


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
