"""Queries of the catalogue module. Every function states what it loads; nothing lazy-loads."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import (
    CTE,
    ColumnElement,
    Select,
    and_,
    delete,
    exists,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased, joinedload, selectinload

from core import utcnow
from modules.catalogue.cursor import Cursor, ProductSort, SortKey
from modules.catalogue.models import Category, Product, ProductStatus, Tag, product_tags

# --- categories ---------------------------------------------------------------------------------


async def categories(session: AsyncSession) -> Sequence[Category]:
    """Returns every category, siblings in display order (position, name, id)."""
    query = select(Category).order_by(Category.position, Category.name, Category.id)
    return (await session.scalars(query)).all()


async def categories_by_slug(
    session: AsyncSession, *, slugs: Collection[str]
) -> dict[str, Category]:
    """Returns the categories with these slugs, by slug."""
    found = await session.scalars(select(Category).where(Category.slug.in_(slugs)))
    return {category.slug: category for category in found}


def _subtree(root: ColumnElement[bool]) -> CTE:
    """The ids of the categories matching ``root`` and of all their descendants, in one
    recursive query (``UNION`` rather than ``UNION ALL`` stops even on a corrupt cycle)."""
    tree = select(Category.id).where(root).cte("subtree", recursive=True)
    child = aliased(Category)
    return tree.union(select(child.id).join(tree, child.parent_id == tree.c.id))


async def lineage(session: AsyncSession, *, category_id: int) -> dict[int, Category]:
    """Returns the category and every category above it, by id, as the database has them now.

    The recursive query follows parent ids with ``UNION``, which keeps no id twice, so it ends
    even when the parents loop back (a corrupt tree); the caller walks the result.
    """
    up = select(Category.id).where(Category.id == category_id).cte("lineage", recursive=True)
    child = aliased(Category)
    up = up.union(select(child.parent_id).join(up, child.id == up.c.id))
    query = select(Category).where(Category.id.in_(select(up.c.id)))
    found = await session.scalars(query.execution_options(populate_existing=True))
    return {category.id: category for category in found}


async def is_in_subtree(session: AsyncSession, *, root_id: int, category_id: int) -> bool:
    """Returns whether ``category_id`` is ``root_id`` or one of its descendants."""
    tree = _subtree(Category.id == root_id)
    found = await session.scalar(select(exists().where(tree.c.id == category_id)))
    return bool(found)


async def has_children_or_products(session: AsyncSession, *, category_id: int) -> bool:
    """Returns whether a category or a product still points at ``category_id``."""
    child = exists().where(Category.parent_id == category_id)
    product = exists().where(Product.category_id == category_id)
    return bool(await session.scalar(select(or_(child, product))))


# --- tags ---------------------------------------------------------------------------------------


async def tags(session: AsyncSession) -> Sequence[Tag]:
    """Returns every tag, by slug."""
    return (await session.scalars(select(Tag).order_by(Tag.slug))).all()


async def tags_by_slug(session: AsyncSession, *, slugs: Collection[str]) -> dict[str, Tag]:
    """Returns the tags with these slugs, by slug."""
    found = await session.scalars(select(Tag).where(Tag.slug.in_(slugs)))
    return {tag.slug: tag for tag in found}


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


async def sku_exists(session: AsyncSession, *, sku: str) -> bool:
    """Returns whether a product has ``sku``."""
    return bool(await session.scalar(select(exists().where(Product.sku == sku))))


async def slug_exists(
    session: AsyncSession, *, model: type[Product | Category | Tag], slug: str
) -> bool:
    """Returns whether a row of ``model`` has ``slug``."""
    return bool(await session.scalar(select(exists().where(model.slug == slug))))


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
            tree = _subtree(Category.slug == self.category_slug)
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


def sort_key(product: Product, sort: ProductSort) -> SortKey:
    """Returns the value ``product`` is sorted by under ``sort``."""
    column, _descending = SORT_KEYS[sort]
    value: SortKey = getattr(product, column.key)
    return value


async def browse(
    session: AsyncSession,
    *,
    where: ProductFilter,
    sort: ProductSort,
    after: Cursor | None,
    limit: int,
) -> Sequence[Product]:
    """Returns up to ``limit`` products matching ``where`` that come after ``after`` in
    ``sort`` order (sort key, then id), with category and tags: two statements in all."""
    column, descending = SORT_KEYS[sort]
    query = select(Product).where(*where.conditions())
    if after is not None:
        if descending:
            beyond = or_(column < after.key, and_(column == after.key, Product.id < after.id))
        else:
            beyond = or_(column > after.key, and_(column == after.key, Product.id > after.id))
        query = query.where(beyond)
    order = (column.desc(), Product.id.desc()) if descending else (column.asc(), Product.id.asc())
    query = _with_relations(query.order_by(*order).limit(limit))
    return (await session.scalars(query)).unique().all()


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


async def delete_tag(session: AsyncSession, *, slug: str) -> bool:
    """Deletes the tag and takes it off its products; returns whether it existed."""
    tag_id = select(Tag.id).where(Tag.slug == slug).scalar_subquery()
    tagged = select(product_tags.c.product_id).where(product_tags.c.tag_id == tag_id)
    await _touch_products(session, Product.id.in_(tagged))
    result = await session.execute(delete(Tag).where(Tag.slug == slug))
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def touch_products_in(session: AsyncSession, *, category_id: int) -> None:
    """Gives the products of a category a new version (their representation shows it)."""
    await _touch_products(session, Product.category_id == category_id)


async def _touch_products(session: AsyncSession, where: ColumnElement[bool]) -> None:
    # A product's ETag is its version: anything shown in its representation that changes
    # elsewhere (a tag removed, its category renamed) must change the version too.
    await session.execute(
        update(Product)
        .where(where)
        .values(version=Product.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
