"""Errors of the audit module: it has no code of its own.

Its listing refuses a foreign cursor with the kernel's ``core.invalid_cursor`` (400), and a
``limit`` above its maximum with ``core.validation_failed`` (422), as every listing does.
"""

from __future__ import annotations

from core.errors import MosaicError

ERRORS: tuple[type[MosaicError], ...] = ()
