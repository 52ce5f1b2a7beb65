"""HTTP routes of the bookmarks module: parse, call the service, answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from core import PlainInteger, module_settings
from core.db import UoW
from core.errors import raises
from mosaic_bookmarks import service
from mosaic_bookmarks.config import BookmarksSettings
from mosaic_bookmarks.errors import ItemNameTaken, ItemNotFound
from mosaic_bookmarks.models import BookmarksItem
from mosaic_bookmarks.schemas import BookmarksItemCreate, BookmarksItemPage, BookmarksItemRead

# Ids are INTEGER columns: 32 bits on PostgreSQL, so a larger id is refused, never looked up.
MAX_ID = 2**31 - 1

router = APIRouter(prefix="/bookmarks", tags=["bookmarks"])
Settings = Annotated[BookmarksSettings, Depends(module_settings(BookmarksSettings))]


@router.get("/items", response_model=BookmarksItemPage, summary="List items")
async def list_items(
    uow: UoW,
    settings: Settings,
    after: Annotated[
        int | None, Query(ge=0, le=MAX_ID, description="Last id seen."), PlainInteger
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000), PlainInteger] = 50,
) -> BookmarksItemPage:
    """One page of items, oldest first."""
    size = min(limit, settings.max_page_size)
    items = await service.list_items(uow, after=after, limit=size + 1)
    page = [BookmarksItemRead.model_validate(item) for item in items[:size]]
    return BookmarksItemPage(items=page, next_after=page[-1].id if len(items) > size else None)


@router.post(
    "/items",
    response_model=BookmarksItemRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create an item",
)
@raises(ItemNameTaken)
async def create_item(body: BookmarksItemCreate, uow: UoW) -> BookmarksItem:
    """Creates an item with a name no other item has."""
    return await service.create_item(uow, name=body.name)


@router.get("/items/{item_id}", response_model=BookmarksItemRead, summary="Read an item")
@raises(ItemNotFound)
async def get_item(
    item_id: Annotated[int, Path(ge=1, le=MAX_ID), PlainInteger], uow: UoW
) -> BookmarksItem:
    """The item with this id."""
    return await service.get_item(uow, item_id=item_id)


@router.delete("/items/{item_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete an item")
@raises(ItemNotFound)
async def delete_item(
    item_id: Annotated[int, Path(ge=1, le=MAX_ID), PlainInteger], uow: UoW
) -> None:
    """Deletes the item with this id."""
    await service.delete_item(uow, item_id=item_id)
