"""The bookmarks module's public API: the only thing other modules may import."""

from mosaic_bookmarks.errors import ItemNotFound
from mosaic_bookmarks.schemas import BookmarksItemRead
from mosaic_bookmarks.service import get_item

__all__ = ["BookmarksItemRead", "ItemNotFound", "get_item"]
