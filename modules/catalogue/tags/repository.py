"""Queries of tags. Every function states what it loads; nothing lazy-loads."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from modules.catalogue.models import Product, Tag, product_tags, touch_products


async def tags(session: AsyncSession) -> Sequence[Tag]:
    """Returns every tag, by slug."""
    return (await session.scalars(select(Tag).order_by(Tag.slug))).all()


async def tags_by_slug(session: AsyncSession, *, slugs: Collection[str]) -> dict[str, Tag]:
    """Returns the tags with these slugs, by slug."""
    found = await session.scalars(select(Tag).where(Tag.slug.in_(slugs)))
    return {tag.slug: tag for tag in found}


async def slug_exists(session: AsyncSession, *, slug: str) -> bool:
    """Returns whether a tag has ``slug``."""
    return bool(await session.scalar(select(exists().where(Tag.slug == slug))))


async def delete_tag(session: AsyncSession, *, slug: str) -> int | None:
    """Deletes the tag and takes it off its products; returns its id (``None``: none had the
    slug)."""
    tag_id = select(Tag.id).where(Tag.slug == slug).scalar_subquery()
    tagged = select(product_tags.c.product_id).where(product_tags.c.tag_id == tag_id)
    await session.execute(touch_products(Product.id.in_(tagged)))
    return await session.scalar(delete(Tag).where(Tag.slug == slug).returning(Tag.id))
