"""Keyset pagination: signed cursors a listing issues as ``next`` and takes back as ``cursor``."""

from core.pagination.cursor import (
    CURSOR_PATTERN,
    MAX_CURSOR_LENGTH,
    CursorCodec,
    CursorReader,
    CursorValue,
)
from core.pagination.dependencies import cursor_codec

__all__ = [
    "CURSOR_PATTERN",
    "MAX_CURSOR_LENGTH",
    "CursorCodec",
    "CursorReader",
    "CursorValue",
    "cursor_codec",
]
