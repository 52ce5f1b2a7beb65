"""Chained dependencies of the orders routes: each one hands the route input that is already
valid and authorised (``owned_order`` and its kin)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

from fastapi import Depends, Header, Path, Query

from core import (
    CursorCodec,
    CursorQuery,
    CursorReader,
    UtcDateTime,
    cursor_codec,
    module_settings,
    page_size,
)
from core.auth import CurrentPrincipal
from core.db import UoW
from core.errors import InvalidCursor, raises, requires_headers
from modules.orders import service
from modules.orders.config import OrdersSettings
from modules.orders.errors import (
    NotACustomer,
    OrderNotFound,
    PreconditionRequired,
    UserFilterForbidden,
    VersionMismatch,
)
from modules.orders.models import PLACES, TOTAL_DIGITS, Order, OrderStatus
from modules.orders.repository import OrderFilter, Position
from modules.users.api import get_active_user

MANAGE = "orders:manage"
MAX_ETAG_HEADER = 1024
TOTAL_PATTERN = rf"^[0-9]{{1,{TOTAL_DIGITS - PLACES}}}(?:\.[0-9]{{1,{PLACES}}})?$"

Settings = Annotated[OrdersSettings, Depends(module_settings(OrdersSettings))]
OrderCursors = Annotated[CursorCodec, Depends(cursor_codec("orders.orders"))]
OrderId = Annotated[uuid.UUID, Path(description="The order's id.")]
PageSize = Annotated[
    int,
    Depends(
        page_size(
            OrdersSettings,
            description="Orders per page: at most the deployment's `max_page_size` (100 unless "
            "configured); `default_page_size` when left out.",
        )
    ),
]


@dataclass(frozen=True, slots=True)
class Caller:
    """Who calls: the account id of the token's subject (``None`` when it names no account)
    and whether it manages every order."""

    user_id: uuid.UUID | None
    manager: bool


async def caller(principal: CurrentPrincipal) -> Caller:
    """Returns the authenticated caller as the orders module sees it; 401 without a token."""
    try:
        user_id: uuid.UUID | None = uuid.UUID(principal.subject)
    except ValueError:
        user_id = None  # a subject that is no account id owns no order
    return Caller(user_id=user_id, manager=principal.can(MANAGE))


CallerDep = Annotated[Caller, Depends(caller)]


@raises(NotACustomer)
async def customer_id(who: CallerDep, uow: UoW) -> uuid.UUID:
    """Returns the caller's account id if it is an active account of the users module (found
    without a query when the token check already loaded it); 403 otherwise."""
    account = await get_active_user(uow.session, user_id=who.user_id) if who.user_id else None
    if account is None:
        raise NotACustomer("Only an active account places orders.")
    return account.id


CustomerId = Annotated[uuid.UUID, Depends(customer_id)]


def etag_of(order: Order) -> str:
    """Returns the strong entity tag of the order's current representation.

    Deleting the customer's account empties ``user_id`` in the database without a new version,
    so the tag says so itself: the representation changed, and so does its tag.
    """
    if order.user_id is None:
        return f'"{order.id}.{order.version}.no-customer"'
    return f'"{order.id}.{order.version}"'


def matches(header: str, etag: str) -> bool:
    """Returns whether an ``If-Match`` header value names ``etag`` (strong comparison, RFC 9110
    §13.1.1: a weak tag never matches); ``*`` names any current representation."""
    for candidate in (part.strip() for part in header.split(",")):
        if candidate in {"*", etag}:
            return True
    return False


@raises(OrderNotFound)
async def visible_order(order_id: OrderId, uow: UoW, who: CallerDep) -> Order:
    """Returns the order of the path if the caller may see it (its customer, or a manager);
    404 otherwise, alike for a missing order and another customer's."""
    return await service.get_order(
        uow, order_id=order_id, viewer=who.user_id, everything=who.manager
    )


@raises(OrderNotFound, PreconditionRequired, VersionMismatch)
# Optional for FastAPI, so that a missing If-Match is our 428, not a validation 422.
@requires_headers("If-Match")
async def changeable_order(
    order_id: OrderId,
    uow: UoW,
    who: CallerDep,
    if_match: Annotated[
        str | None,
        Header(
            max_length=MAX_ETAG_HEADER,
            description="The order's current `ETag`: the action applies only to that version "
            "(412 otherwise; 428 without it).",
        ),
    ] = None,
) -> Order:
    """Returns the order of the path, locked until the transaction ends, if the caller may see
    it and it is still at the version ``If-Match`` names.

    The lock makes concurrent actions on one order apply one after the other: the second reads
    the version the first wrote, so its ``If-Match`` fails (412) instead of both winning.
    """
    order = await service.get_order(
        uow, order_id=order_id, viewer=who.user_id, everything=who.manager, for_writing=True
    )
    etag = etag_of(order)
    if if_match is None:
        raise PreconditionRequired(
            f"Send If-Match: {etag} to act on this version.", headers={"ETag": etag}
        )
    if not matches(if_match, etag):
        raise VersionMismatch(
            f"Order {order.id} is at {etag}, not {if_match}.", headers={"ETag": etag}
        )
    return order


VisibleOrder = Annotated[Order, Depends(visible_order)]
ChangeableOrder = Annotated[Order, Depends(changeable_order)]


@raises(UserFilterForbidden)
async def listing_filter(
    *,
    who: CallerDep,
    status: Annotated[OrderStatus | None, Query(description="Orders in this state.")] = None,
    user: Annotated[
        uuid.UUID | None,
        Query(description="Orders of this customer (needs `orders:manage`, 403 otherwise)."),
    ] = None,
    created_from: Annotated[
        UtcDateTime | None, Query(description="Orders placed at or after this time.")
    ] = None,
    created_before: Annotated[
        UtcDateTime | None, Query(description="Orders placed before this time.")
    ] = None,
    min_total: Annotated[
        str | None,
        Query(pattern=TOTAL_PATTERN, description="Lowest total, inclusive.", examples=["10"]),
    ] = None,
    max_total: Annotated[
        str | None,
        Query(pattern=TOTAL_PATTERN, description="Highest total, inclusive.", examples=["99.90"]),
    ] = None,
) -> OrderFilter:
    """Returns what a listing keeps: the caller's own orders, or every order for a manager."""
    if user is not None and not who.manager:
        raise UserFilterForbidden(f"Listing another customer's orders needs {MANAGE}.")
    return OrderFilter(
        user_id=user if who.manager else who.user_id or _NOBODY,
        status=status,
        created_from=created_from,
        created_before=created_before,
        min_total=Decimal(min_total) if min_total is not None else None,
        max_total=Decimal(max_total) if max_total is not None else None,
    )


# A caller whose subject is no account id owns nothing: its listing matches no order.
_NOBODY = uuid.UUID(int=0)

ListingFilter = Annotated[OrderFilter, Depends(listing_filter)]


def _read(values: CursorReader) -> Position:
    return Position(values.timestamp(), values.uuid())


@raises(InvalidCursor)
async def page_position(
    cursors: OrderCursors,
    cursor: CursorQuery = None,
) -> Position | None:
    """Returns where the page starts: after the position ``cursor`` encodes."""
    return cursors.decode(cursor, _read) if cursor is not None else None


PagePosition = Annotated[Position | None, Depends(page_position)]
