"""HTTP routes of orders: checkout, reading and the state transitions. Parse, call the service,
answer."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from core import Idempotent
from core.auth import require
from core.db import UoW
from core.errors import raises
from modules.catalogue.api import CatalogueApi, OutOfStock
from modules.orders import service
from modules.orders.dependencies import (
    MANAGE,
    CallerDep,
    ChangeableOrder,
    CustomerId,
    ListingFilter,
    OrderCursors,
    PagePosition,
    PageSize,
    Settings,
    VisibleOrder,
    etag_of,
)
from modules.orders.errors import (
    DuplicateLine,
    EmptyOrder,
    IllegalTransition,
    NotTheCustomer,
    ProductUnavailable,
    QuantityLimit,
    TooManyLines,
    UnknownProduct,
    VersionMismatch,
)
from modules.orders.models import Order
from modules.orders.schemas import OrderCreate, OrderPage, OrderRead
from modules.orders.states import Action

router = APIRouter(prefix="/orders", tags=["orders"])


@router.post(
    "",
    response_model=OrderRead,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Idempotent],
    summary="Place an order",
)
@raises(
    EmptyOrder,
    TooManyLines,
    QuantityLimit,
    DuplicateLine,
    UnknownProduct,
    ProductUnavailable,
    OutOfStock,
)
async def create_order(
    *,
    body: OrderCreate,
    uow: UoW,
    customer: CustomerId,
    catalogue: CatalogueApi,
    settings: Settings,
    request: Request,
    response: Response,
) -> OrderRead:
    """Places an order for the caller: each line's product (by id or SKU) priced from the
    catalogue, and its stock reserved, for every line or none. Needs an `Idempotency-Key`: a
    retry with the same key and body answers the first response instead of ordering twice."""
    order = await service.place_order(
        uow, catalogue=catalogue, customer_id=customer, data=body, settings=settings
    )
    response.headers["ETag"] = etag_of(order)
    response.headers["Location"] = str(request.url_for("read_order", order_id=order.id))
    return OrderRead.model_validate(order)


@router.get("", response_model=OrderPage, summary="List orders")
async def list_orders(
    *,
    uow: UoW,
    cursors: OrderCursors,
    where: ListingFilter,
    after: PagePosition,
    limit: PageSize,
) -> OrderPage:
    """One page of orders, newest first: the caller's own, or every customer's with
    `orders:manage`."""
    orders = await service.list_orders(uow, where=where, after=after, limit=limit + 1)
    return OrderPage.of(
        orders,
        size=limit,
        item=OrderRead.model_validate,
        cursor=lambda last: cursors.encode(last.created_at, last.id),
    )


@router.get("/{order_id}", response_model=OrderRead, summary="Read an order")
async def read_order(order: VisibleOrder, response: Response) -> OrderRead:
    """The order with its lines and its `ETag`. Another customer's order answers 404, as if it
    did not exist."""
    response.headers["ETag"] = etag_of(order)
    return OrderRead.model_validate(order)


@router.post("/{order_id}/pay", response_model=OrderRead, summary="Pay an order")
@raises(NotTheCustomer, IllegalTransition, VersionMismatch)
async def pay_order(
    order: ChangeableOrder, who: CallerDep, uow: UoW, catalogue: CatalogueApi, response: Response
) -> OrderRead:
    """Marks the caller's pending order paid."""
    by_customer = order.user_id == who.user_id
    return await _act(uow, order, Action.PAY, catalogue, response, by_customer=by_customer)


@router.post("/{order_id}/cancel", response_model=OrderRead, summary="Cancel an order")
@raises(IllegalTransition, VersionMismatch)
async def cancel_order(
    order: ChangeableOrder, who: CallerDep, uow: UoW, catalogue: CatalogueApi, response: Response
) -> OrderRead:
    """Cancels a pending order (the caller's own, or any with `orders:manage`) and puts its
    stock back."""
    by_customer = order.user_id == who.user_id
    return await _act(uow, order, Action.CANCEL, catalogue, response, by_customer=by_customer)


@router.post(
    "/{order_id}/fulfil",
    response_model=OrderRead,
    dependencies=[require(MANAGE)],
    summary="Fulfil an order",
)
@raises(IllegalTransition, VersionMismatch)
async def fulfil_order(
    order: ChangeableOrder, uow: UoW, catalogue: CatalogueApi, response: Response
) -> OrderRead:
    """Marks a paid order fulfilled. Needs `orders:manage`."""
    return await _act(uow, order, Action.FULFIL, catalogue, response, by_customer=False)


@router.post(
    "/{order_id}/refund",
    response_model=OrderRead,
    dependencies=[require(MANAGE)],
    summary="Refund an order",
)
@raises(IllegalTransition, VersionMismatch)
async def refund_order(
    order: ChangeableOrder, uow: UoW, catalogue: CatalogueApi, response: Response
) -> OrderRead:
    """Refunds a paid or fulfilled order; the stock of one not yet fulfilled comes back.
    Needs `orders:manage`."""
    return await _act(uow, order, Action.REFUND, catalogue, response, by_customer=False)


async def _act(
    uow: UoW,
    order: Order,
    action: Action,
    catalogue: CatalogueApi,
    response: Response,
    *,
    by_customer: bool,
) -> OrderRead:
    order = await service.transition(
        uow, order=order, action=action, catalogue=catalogue, by_customer=by_customer
    )
    response.headers["ETag"] = etag_of(order)
    return OrderRead.model_validate(order)
