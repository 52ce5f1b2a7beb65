"""Rules of the bookmarks module. Functions work over the Unit of Work and never commit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError

from core.db import UnitOfWork
from mosaic_bookmarks import repository
from mosaic_bookmarks.errors import ItemNameTaken, ItemNotFound
from mosaic_bookmarks.models import BookmarksItem


async def list_items(uow: UnitOfWork, *, after: int | None, limit: int) -> Sequence[BookmarksItem]:
    """Returns one page of items, oldest first."""
    return await repository.page(uow.session, after=after, limit=limit)


async def create_item(uow: UnitOfWork, *, name: str) -> BookmarksItem:
    """Returns the new item; refuses a name another item has."""
    if await repository.name_exists(uow.session, name=name):
        raise ItemNameTaken(f"An item named '{name}' already exists.")
    item = BookmarksItem(name=name)
    uow.session.add(item)
    try:
        await uow.session.flush()
    except IntegrityError:  # A concurrent request took the name between check and insert.
        raise ItemNameTaken(f"An item named '{name}' already exists.") from None
    await uow.session.refresh(item)
    return item


async def get_item(uow: UnitOfWork, *, item_id: int) -> BookmarksItem:
    """Returns the item, or raises ``bookmarks.item_not_found``."""
    item = await uow.session.get(BookmarksItem, item_id)
    if item is None:
        raise ItemNotFound(f"No item has id {item_id}.")
    return item


async def delete_item(uow: UnitOfWork, *, item_id: int) -> None:
    """Deletes the item, or raises ``bookmarks.item_not_found``."""
    await uow.session.delete(await get_item(uow, item_id=item_id))
