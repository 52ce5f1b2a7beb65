"""The page of a keyset listing: its items and the cursor of the next page.

A listing fetches one row more than the page holds; that row only says whether a next page
exists, and the cursor of the page's last row resumes after it::

    class UserPage(Page[UserRead]): ...

    rows = await service.list_users(uow, after=after, limit=size + 1)
    return UserPage.of(rows, size=size, item=UserRead.model_validate, cursor=position_of)

A read route answers its rows as the page in one pass with :meth:`Page.answer` instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, Self, TypeVar

from pydantic import BaseModel, Field
from starlette.responses import Response

from core.http.answer import answer

ItemT = TypeVar("ItemT")
RowT = TypeVar("RowT")


class Page(BaseModel, Generic[ItemT]):
    """One page of a listing: ``items`` in the listing's order and ``next``, which a client
    sends back as ``cursor``. A listing subclasses it, ``class ProductPage(Page[ProductRead])``,
    so the schema keeps the listing's own name, and may redeclare ``next`` to say more."""

    items: list[ItemT]
    next: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page."
    )

    @classmethod
    def of(
        cls,
        rows: Sequence[RowT],
        *,
        size: int,
        cursor: Callable[[RowT], str],
        item: Callable[[RowT], Any] | None = None,
    ) -> Self:
        """Returns the page of the first ``size`` of ``rows``, fetched as ``size + 1``: when the
        extra row came, ``next`` is the ``cursor`` of the page's last row, else ``None``. Each
        row becomes ``item(row)``, or is validated as the page's item schema (one reading its
        attributes, ``from_attributes=True``) without ``item``."""
        shown, following = _cut(rows, size, cursor)
        return cls(items=[item(row) for row in shown] if item else list(shown), next=following)

    @classmethod
    def answer(cls, rows: Sequence[RowT], *, size: int, cursor: Callable[[RowT], str]) -> Response:
        """Returns the JSON response of the page of the first ``size`` of ``rows`` (``next`` as
        in :meth:`of`), the rows read as this schema declares them and written to JSON at
        once (:func:`core.answer`), without a page object in between."""
        shown, following = _cut(rows, size, cursor)
        return answer(cls, {"items": shown, "next": following})


def _cut(
    rows: Sequence[RowT], size: int, cursor: Callable[[RowT], str]
) -> tuple[Sequence[RowT], str | None]:
    """The first ``size`` of ``rows`` (fetched as ``size + 1``), and the cursor after the last
    of them when the extra row came."""
    shown = rows[:size]
    return shown, cursor(shown[-1]) if len(rows) > size else None
