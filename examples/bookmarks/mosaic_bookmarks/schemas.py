"""Input and output of the bookmarks module's API."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _in_utc(value: datetime) -> datetime:
    """SQLite keeps no time zone: its timestamps are UTC and come back naive."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# A timestamp always answered with its offset, as RFC 3339 (`format: date-time`) requires.
UtcDatetime = Annotated[datetime, AfterValidator(_in_utc)]
# PostgreSQL text cannot hold the NUL character: strings refuse it, and their schema says so.
NO_NUL = r"^[^\x00]*$"


class BookmarksItemCreate(BaseModel):
    # Input is taken as sent and checked exactly as the OpenAPI schema says: rewriting it (such as
    # stripping whitespace) would refuse values the schema accepts and accept values it refuses.
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, pattern=NO_NUL)


class BookmarksItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    created_at: UtcDatetime


class BookmarksItemPage(BaseModel):
    items: list[BookmarksItemRead]
    next_after: int | None = Field(
        description="Pass as `after` to get the next page; null on the last page."
    )
