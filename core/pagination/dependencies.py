"""Giving a listing the codec of its cursors inside a request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Query, Request

from core.errors.exceptions import BadRequest
from core.errors.kernel_errors import InvalidCursor
from core.errors.openapi import raises
from core.kernel.access import kernel_of
from core.pagination.cursor import CURSOR_PATTERN, MAX_CURSOR_LENGTH, CursorCodec, CursorKeys

#: The ``cursor`` query parameter of a listing: the ``next`` of the page before, or nothing.
CursorQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=MAX_CURSOR_LENGTH,
        pattern=CURSOR_PATTERN,
        description="The `next` of the previous page; leave out for the first page.",
    ),
]


def cursor_codec(
    purpose: str, error: type[BadRequest] = InvalidCursor
) -> Callable[[Request], Awaitable[CursorCodec]]:
    """Returns a dependency that yields the codec of the listing ``purpose``::

    ProductCursors = Annotated[CursorCodec, Depends(cursor_codec("catalogue.products"))]

    Every listing refuses a cursor it did not issue alike, with 400 ``core.invalid_cursor``
    (``error``, a ``BadRequest``, replaces it only where a listing must keep an older code), and
    each route taking the dependency documents it.
    """
    if not issubclass(error, BadRequest):
        raise TypeError(f"{error.__name__} must be a BadRequest: a wrong cursor is a 400")

    @raises(error)
    async def dependency(request: Request) -> CursorCodec:
        keys: CursorKeys = kernel_of(request).cursor_keys
        return keys.codec(purpose, error)

    return dependency
