"""Keyset pagination: signed cursors a listing issues as ``next`` and takes back as ``cursor``,
the page schema (:class:`Page`) and the bounded page size (:func:`page_size`)."""

from core.pagination.cursor import (
    CURSOR_PATTERN,
    MAX_CURSOR_LENGTH,
    CursorCodec,
    CursorReader,
    CursorValue,
)
from core.pagination.dependencies import CursorQuery, cursor_codec
from core.pagination.page import Page
from core.pagination.page_size import PAGE_SIZE_CEILING, PagingSettings, page_size

__all__ = [
    "CURSOR_PATTERN",
    "MAX_CURSOR_LENGTH",
    "PAGE_SIZE_CEILING",
    "CursorCodec",
    "CursorQuery",
    "CursorReader",
    "CursorValue",
    "Page",
    "PagingSettings",
    "cursor_codec",
    "page_size",
]
