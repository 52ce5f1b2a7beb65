"""Keyset cursors of product listings.

A cursor is the kernel's signed cursor (:class:`core.CursorCodec`, purpose
``catalogue.products``) of three values: the sort order it was issued for, the sort key of the
last product of the page (its name, its price or its creation time) and that product's id, which
breaks ties. A cursor is refused (the kernel's ``core.invalid_cursor``, 400) unless this listing
issued it, and when it was issued for another sort order, since its position means nothing there.
Each value is read within its column's range, so no cursor can make the query fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from core import CursorCodec, CursorReader, NamedEnum
from core.errors import InvalidCursor
from modules.catalogue.models import NAME_LENGTH, PRICE_DIGITS, PRICE_PLACES
from modules.catalogue.types import MAX_ID

PURPOSE = "catalogue.products"
SortKey = str | Decimal | datetime


class ProductSort(NamedEnum):
    """Orders of a product listing; ``-`` means descending. Ties are broken by id."""

    NAME = "name"
    NAME_DESC = "-name"
    PRICE = "price"
    PRICE_DESC = "-price"
    NEWEST = "newest"


SORT_LENGTH = max(len(sort) for sort in ProductSort)


@dataclass(frozen=True, slots=True)
class Cursor:
    """A position in a listing: after the product with this sort key and id."""

    sort: ProductSort
    key: SortKey
    id: int

    def encode(self, codec: CursorCodec) -> str:
        """Returns the opaque string a client sends back as ``cursor``."""
        return codec.encode(self.sort.value, self.key, self.id)

    @classmethod
    def decode(cls, codec: CursorCodec, token: str, *, sort: ProductSort) -> Cursor:
        """Returns the cursor ``token`` encodes; raises ``InvalidCursor`` unless this listing
        issued it for ``sort``."""

        def read(values: CursorReader) -> Cursor:
            issued_for = values.text(max_length=SORT_LENGTH)
            if issued_for != sort.value:
                raise InvalidCursor(
                    f"The cursor was issued for sort '{issued_for}', not '{sort.value}'."
                )
            key = _read_key(values, sort)
            return cls(sort, key, values.integer(minimum=1, maximum=MAX_ID))

        return codec.decode(token, read)


def _read_key(values: CursorReader, sort: ProductSort) -> SortKey:
    if sort in {ProductSort.PRICE, ProductSort.PRICE_DESC}:
        return values.decimal(digits=PRICE_DIGITS, places=PRICE_PLACES)
    if sort is ProductSort.NEWEST:
        return values.timestamp()
    return values.text(max_length=NAME_LENGTH)
