"""Opaque keyset cursors for product listings.

A cursor is URL-safe base64 (unpadded) of the JSON ``{"sort": …, "key": …, "id": …}``: the sort
order it was issued for, the sort key of the last product of the page (a string: a name, a
decimal price or an ISO 8601 timestamp) and that product's id, which breaks ties. A cursor is
refused (``catalogue.invalid_cursor``) when it does not decode, or when it was issued for another
sort order, since its position means nothing there.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from modules.catalogue.errors import InvalidCursor

MAX_CURSOR_LENGTH = 1024
# What `Cursor.encode` writes: URL-safe base64 without padding.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]+$"
SortKey = str | Decimal | datetime


class ProductSort(StrEnum):
    """Orders of a product listing; ``-`` means descending. Ties are broken by id."""

    NAME = "name"
    NAME_DESC = "-name"
    PRICE = "price"
    PRICE_DESC = "-price"
    NEWEST = "newest"


@dataclass(frozen=True, slots=True)
class Cursor:
    """A position in a listing: after the product with this sort key and id."""

    sort: ProductSort
    key: SortKey
    id: int

    def encode(self) -> str:
        """Returns the opaque string a client sends back as ``cursor``."""
        key = self.key.isoformat() if isinstance(self.key, datetime) else str(self.key)
        payload = json.dumps({"sort": self.sort.value, "key": key, "id": self.id}, sort_keys=True)
        return base64.urlsafe_b64encode(payload.encode()).rstrip(b"=").decode("ascii")

    @classmethod
    def decode(cls, token: str, *, sort: ProductSort) -> Cursor:
        """Returns the cursor ``token`` encodes; raises ``InvalidCursor`` unless it is a
        well-formed cursor issued for ``sort``."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            payload = json.loads(raw)
        except (binascii.Error, ValueError, RecursionError):
            raise InvalidCursor("The cursor is malformed.") from None
        if not isinstance(payload, dict) or set(payload) != {"sort", "key", "id"}:
            raise InvalidCursor("The cursor is malformed.")
        issued_for, key, last_id = payload["sort"], payload["key"], payload["id"]
        if issued_for != sort.value:
            raise InvalidCursor(
                f"The cursor was issued for sort '{issued_for}', not '{sort.value}'."
            )
        if type(last_id) is not int or last_id < 1 or not isinstance(key, str):
            raise InvalidCursor("The cursor is malformed.")
        return cls(sort, _parse_key(sort, key), last_id)


def _parse_key(sort: ProductSort, key: str) -> SortKey:
    try:
        if sort in {ProductSort.PRICE, ProductSort.PRICE_DESC}:
            price = Decimal(key)
            if not price.is_finite():
                raise InvalidOperation
            return price
        if sort is ProductSort.NEWEST:
            return datetime.fromisoformat(key)
    except (InvalidOperation, ValueError):
        raise InvalidCursor("The cursor is malformed.") from None
    return key
