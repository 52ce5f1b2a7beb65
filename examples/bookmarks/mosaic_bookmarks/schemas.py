"""Input and output of the bookmarks module's API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class BookmarksItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)


class BookmarksItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    created_at: datetime


class BookmarksItemPage(BaseModel):
    items: list[BookmarksItemRead]
    next_after: int | None = Field(
        description="Pass as `after` to get the next page; null on the last page."
    )
