"""Cursors for tests: positions only the holder of the secret key can sign.

A listing must refuse, with its own 400, even a validly signed cursor whose values do not fit its
columns. To test it, sign any payload as the application signs the listing's cursors::

    cursor = signed_cursor(app, "catalogue.products", b'["price","1e999999",1]')
"""

from __future__ import annotations

from fastapi import FastAPI

from core.errors.exceptions import BadRequest
from core.kernel.access import kernel_of
from core.pagination.cursor import CursorKeys


def signed_cursor(app: FastAPI, purpose: str, payload: bytes) -> str:
    """Returns ``payload`` (any bytes) signed as ``app`` signs the cursors of ``purpose``."""
    keys: CursorKeys = kernel_of(app).cursor_keys
    return keys.codec(purpose, BadRequest)._seal(payload)
