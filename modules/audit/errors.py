"""Errors of the audit module, each bound to a stable code.

::

    BadRequest   InvalidCursor     audit.invalid_cursor
"""

from __future__ import annotations

from core.errors import BadRequest


class InvalidCursor(BadRequest):
    code = "audit.invalid_cursor"
    title = "Invalid cursor"
    description = "The `cursor` is not a `next` value this listing returned."


ERRORS = (InvalidCursor,)
