"""The admin listing's keyset cursor: the position of the last account of a page, made opaque.

It is the kernel's signed cursor (:class:`core.CursorCodec`, purpose ``users.accounts``) of the
account's ``created_at`` and id, the listing's order. Clients pass back what they were given and
nothing else: any other cursor is 400 ``users.invalid_cursor``. The encoding may change without
notice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from core import CursorCodec, CursorReader

PURPOSE = "users.accounts"


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ended, in the listing's order (``created_at``, then ``id``)."""

    created_at: datetime
    id: uuid.UUID


def encode_cursor(codec: CursorCodec, position: Position) -> str:
    """Returns the opaque ``next`` value that resumes the listing after ``position``."""
    return codec.encode(position.created_at, position.id)


def decode_cursor(codec: CursorCodec, cursor: str) -> Position:
    """Returns the position ``cursor`` encodes; raises the codec's error unless this listing
    issued it."""
    return codec.decode(cursor, _read)


def _read(values: CursorReader) -> Position:
    return Position(values.timestamp(), values.uuid())
