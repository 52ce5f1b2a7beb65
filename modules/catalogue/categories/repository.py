"""Queries of the category tree. Every function states what it loads; nothing lazy-loads."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import CTE, ColumnElement, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from modules.catalogue.models import Category, Product, touch_products


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


def subtree(root: ColumnElement[bool]) -> CTE:
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
    tree = subtree(Category.id == root_id)
    found = await session.scalar(select(exists().where(tree.c.id == category_id)))
    return bool(found)


async def has_children_or_products(session: AsyncSession, *, category_id: int) -> bool:
    """Returns whether a category or a product still points at ``category_id``."""
    child = exists().where(Category.parent_id == category_id)
    product = exists().where(Product.category_id == category_id)
    return bool(await session.scalar(select(or_(child, product))))


async def slug_exists(session: AsyncSession, *, slug: str) -> bool:
    """Returns whether a category has ``slug``."""
    return bool(await session.scalar(select(exists().where(Category.slug == slug))))


async def touch_products_in(session: AsyncSession, *, category_id: int) -> None:
    """Gives the products of a category a new version (their representation shows it)."""
    await session.execute(touch_products(Product.category_id == category_id))
