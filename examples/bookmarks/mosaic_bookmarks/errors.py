"""Errors of the bookmarks module, each bound to a stable code."""

from __future__ import annotations

from core.errors import Conflict, NotFound


class ItemNotFound(NotFound):
    code = "bookmarks.item_not_found"
    title = "Item not found"
    description = "No item has this id."


class ItemNameTaken(Conflict):
    code = "bookmarks.item_name_taken"
    title = "Item name taken"
    description = "Another item already has this name."


ERRORS = (ItemNotFound, ItemNameTaken)
