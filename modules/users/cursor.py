"""The admin listing's keyset cursor: the position of the last account of a page, made opaque.

Clients pass back what they were given and nothing else; the encoding may change without notice.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

# What `encode_cursor` writes: URL-safe base64 without padding.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]+$"


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ended, in the listing's order (``created_at``, then ``id``)."""

    created_at: datetime
    id: uuid.UUID


def encode_cursor(position: Position) -> str:
    """Returns the opaque ``next`` value that resumes the listing after ``position``."""
    created_at = position.created_at
    created_at = created_at.replace(tzinfo=UTC) if created_at.tzinfo is None else created_at
    raw = json.dumps([created_at.astimezone(UTC).isoformat(), position.id.hex])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Position | None:
    """Returns the position ``cursor`` encodes, or ``None`` when it is not one we issued."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created_at, id_hex = json.loads(raw)
        position = Position(datetime.fromisoformat(created_at), uuid.UUID(hex=id_hex))
    except (binascii.Error, ValueError, TypeError, AttributeError):
        return None
    if position.created_at.tzinfo is None:
        return None
    return Position(position.created_at.astimezone(UTC), position.id)
