"""The error contract: exception families, the catalogue and problem details.

Modules subclass the families (:mod:`core.errors.exceptions` draws the tree) and may raise the
kernel's own :class:`UnsupportedMediaType` from a route that reads its body itself, and
:class:`InvalidCursor` (``core.invalid_cursor``, 400), the error of every listing's cursors, when
a signed cursor's values do not fit the request (issued for another sort order). A route or a
dependency declares what it raises with :func:`raises`, and with :func:`requires_headers` the
headers it takes as optional only to answer their absence itself (OpenAPI shows them required).
"""

from core.errors.exceptions import (
    BadRequest,
    Conflict,
    Forbidden,
    MosaicError,
    NotFound,
    PreconditionFailed,
    TooManyRequests,
    Unauthorized,
    Unavailable,
    UnprocessableContent,
)
from core.errors.kernel_errors import InvalidCursor, UnsupportedMediaType
from core.errors.openapi import raises, requires_headers
from core.errors.problem import PROBLEM_MEDIA_TYPE, FieldError, Problem
from core.errors.registry import ErrorEntry, ErrorRegistry

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "BadRequest",
    "Conflict",
    "ErrorEntry",
    "ErrorRegistry",
    "FieldError",
    "Forbidden",
    "InvalidCursor",
    "MosaicError",
    "NotFound",
    "PreconditionFailed",
    "Problem",
    "TooManyRequests",
    "Unauthorized",
    "Unavailable",
    "UnprocessableContent",
    "UnsupportedMediaType",
    "raises",
    "requires_headers",
]
