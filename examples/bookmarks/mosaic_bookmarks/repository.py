"""Queries of the bookmarks module."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mosaic_bookmarks.models import BookmarksItem


async def page(session: AsyncSession, *, after: int | None, limit: int) -> Sequence[BookmarksItem]:
    """Returns up to ``limit`` items with an id above ``after``, in id order."""
    query = select(BookmarksItem).order_by(BookmarksItem.id).limit(limit)
    if after is not None:
        query = query.where(BookmarksItem.id > after)
    return (await session.scalars(query)).all()


async def name_exists(session: AsyncSession, *, name: str) -> bool:
    """Returns whether an item already has ``name``."""
    found = await session.scalar(select(BookmarksItem.id).where(BookmarksItem.name == name))
    return found is not None
