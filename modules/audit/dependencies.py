"""Chained dependencies of the audit routes: the listing's cursor and filters, validated."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from core import (
    CursorCodec,
    CursorQuery,
    CursorReader,
    Text,
    UtcDateTime,
    cursor_codec,
    page_size,
)
from core.errors import InvalidCursor, raises
from modules.audit.repository import EntryFilter, Position

PURPOSE = "audit.entries"
MAX_PAGE_SIZE = 200
Cursors = Annotated[CursorCodec, Depends(cursor_codec(PURPOSE))]
PageSize = Annotated[
    int,
    Depends(page_size(maximum=MAX_PAGE_SIZE, default=50, description="Page size, at most 200.")),
]


def encode_cursor(codec: CursorCodec, position: Position) -> str:
    """Returns the opaque ``next`` that resumes the listing after ``position``."""
    return codec.encode(position.occurred_at, position.id)


def _read(values: CursorReader) -> Position:
    return Position(values.timestamp(), values.row_id())


@raises(InvalidCursor)
async def _position(cursors: Cursors, cursor: CursorQuery = None) -> Position | None:
    return cursors.decode(cursor, _read) if cursor is not None else None


async def _filter(
    actor: Annotated[
        Text | None, Query(max_length=200, description="Entries caused by this subject.")
    ] = None,
    module: Annotated[
        Text | None, Query(max_length=40, description="Entries of this module's events.")
    ] = None,
    type: Annotated[  # noqa: A002 - the query parameter's public name
        Text | None,
        Query(max_length=128, description="Entries of this versioned event type."),
    ] = None,
    since: Annotated[
        UtcDateTime | None, Query(description="Entries that occurred at or after this time.")
    ] = None,
    until: Annotated[
        UtcDateTime | None, Query(description="Entries that occurred before this time.")
    ] = None,
) -> EntryFilter:
    return EntryFilter(actor=actor, module=module, event_type=type, since=since, until=until)


PagePosition = Annotated[Position | None, Depends(_position)]
Filters = Annotated[EntryFilter, Depends(_filter)]
