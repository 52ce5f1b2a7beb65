"""Input and output of the bookmarks module's API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from core import Text, UtcDateTime


class BookmarksItemCreate(BaseModel):
    # Input is taken as sent and checked exactly as the OpenAPI schema says: rewriting it (such as
    # stripping whitespace) would refuse values the schema accepts and accept values it refuses.
    model_config = ConfigDict(extra="forbid")

    name: Text = Field(min_length=1, max_length=200)


class BookmarksItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    created_at: UtcDateTime


class BookmarksItemPage(BaseModel):
    items: list[BookmarksItemRead]
    next_after: int | None = Field(
        description="Pass as `after` to get the next page; null on the last page."
    )
