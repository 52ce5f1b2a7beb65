"""Settings of the bookmarks module: the ``[modules.bookmarks]`` section of plugins.toml."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class BookmarksSettings(BaseModel):
    """Overridable with ``MOSAIC_MODULES__BOOKMARKS__<KEY>``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_page_size: int = Field(default=100, ge=1, le=1000)
