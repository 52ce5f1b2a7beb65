"""Rules of orders: checkout, transitions, reading and expiry. Functions work over the Unit of
Work and never commit; the catalogue is reached through its public API only, in the same Unit
of Work, so an order and its stock reservation commit or roll back together."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm.exc import StaleDataError

from core import utcnow
from core.db import UnitOfWork, lock_for_writing
from modules.catalogue.api import Catalogue, ProductSnapshot
from modules.orders import repository
from modules.orders.config import OrdersSettings
from modules.orders.errors import (
    DuplicateLine,
    EmptyOrder,
    IllegalTransition,
    NotTheCustomer,
    OrderNotFound,
    ProductUnavailable,
    QuantityLimit,
    TooManyLines,
    UnknownProduct,
    VersionMismatch,
)
from modules.orders.events import (
    OrderCancelled,
    OrderEvent,
    OrderFulfilled,
    OrderPaid,
    OrderPlaced,
    OrderRefunded,
)
from modules.orders.models import Order, OrderLine, OrderStatus
from modules.orders.repository import OrderFilter, Position
from modules.orders.schemas import LineById, LineBySku, OrderCreate
from modules.orders.states import Action, next_state, releases_stock


async def place_order(
    uow: UnitOfWork,
    *,
    catalogue: Catalogue,
    customer_id: uuid.UUID,
    data: OrderCreate,
    settings: OrdersSettings,
) -> Order:
    """Returns the new pending order, its lines priced from the catalogue and their stock
    reserved (all lines or none); ``orders.placed`` commits with it."""
    _check_limits(data, settings)
    products = await _products_of(catalogue, data.lines)
    quantities: dict[int, int] = {}
    lines: list[OrderLine] = []
    for position, line in enumerate(data.lines):
        product = products[_reference(line)]
        if product.id in quantities:
            raise DuplicateLine(f"Product {product.sku} is on more than one line.")
        if not product.is_active:
            raise ProductUnavailable(f"Product {product.sku} is not offered.")
        quantities[product.id] = line.quantity
        lines.append(
            OrderLine(
                position=position,
                product_id=product.id,
                sku=product.sku,
                name=product.name,
                unit_price=product.price,
                quantity=line.quantity,
                line_total=product.price * line.quantity,
            )
        )
    order = Order(
        user_id=customer_id,
        status=OrderStatus.PENDING.value,
        currency=next(iter(products.values())).currency,
        total=sum((line.line_total for line in lines), Decimal(0)),
        note=data.note,
        lines=lines,
    )
    uow.session.add(order)
    await uow.session.flush()
    await uow.publish(OrderPlaced(**_facts(order), lines=len(lines)))
    # Last: the reservation locks the products' rows until commit, and every checkout of a
    # popular product waits for them, so they are held for as few statements as possible.
    await catalogue.reserve_stocks(quantities=quantities)
    return order


def _check_limits(data: OrderCreate, settings: OrdersSettings) -> None:
    if not data.lines:
        raise EmptyOrder("Send at least one line.")
    if len(data.lines) > settings.max_lines:
        raise TooManyLines(f"An order has at most {settings.max_lines} lines.")
    for line in data.lines:
        if line.quantity > settings.max_quantity:
            raise QuantityLimit(f"A line has at most {settings.max_quantity} units.")


def _reference(line: LineById | LineBySku) -> int | str:
    return line.product_id if isinstance(line, LineById) else line.sku


async def _products_of(
    catalogue: Catalogue, lines: Sequence[LineById | LineBySku]
) -> dict[int | str, ProductSnapshot]:
    """Returns the catalogue's product for each line's id or SKU, in one look-up."""
    ids = {line.product_id for line in lines if isinstance(line, LineById)}
    skus = {line.sku for line in lines if isinstance(line, LineBySku)}
    found = await catalogue.products(ids=ids, skus=skus)
    by_reference: dict[int | str, ProductSnapshot] = {}
    for product in found:
        by_reference[product.id] = product
        by_reference[product.sku] = product
    for line in lines:
        if _reference(line) not in by_reference:
            what = f"id {line.product_id}" if isinstance(line, LineById) else f"SKU '{line.sku}'"
            raise UnknownProduct(f"No product has the {what}.")
    return by_reference


async def get_order(
    uow: UnitOfWork,
    *,
    order_id: uuid.UUID,
    viewer: uuid.UUID | None,
    everything: bool,
    for_writing: bool = False,
) -> Order:
    """Returns the order with its lines if the caller may see it (its customer, or
    ``everything``); raises ``orders.order_not_found`` alike for a missing order and another
    customer's. ``for_writing`` keeps every other writer of the order waiting until the
    transaction ends."""
    if for_writing:
        await lock_for_writing(uow.session)
    order = await repository.order(uow.session, order_id=order_id, for_update=for_writing)
    if order is None or not (everything or (viewer is not None and order.user_id == viewer)):
        raise OrderNotFound(f"No order has id {order_id}.")
    return order


async def list_orders(
    uow: UnitOfWork, *, where: OrderFilter, after: Position | None, limit: int
) -> Sequence[Order]:
    """Returns up to ``limit`` matching orders after ``after``, newest first, lines loaded."""
    return await repository.browse(uow.session, where=where, after=after, limit=limit)


async def transition(
    uow: UnitOfWork, *, order: Order, action: Action, catalogue: Catalogue, by_customer: bool
) -> Order:
    """Returns the order moved by ``action``; raises ``orders.illegal_transition`` (with the
    current ``state``) when its state does not allow it. Stock a cancellation or refund gives
    back is released in the same transaction. Only the customer who placed an order pays it
    (``orders.not_the_customer``), whatever the caller's permissions."""
    if action is Action.PAY and not by_customer:
        raise NotTheCustomer("Only the customer who placed the order pays it.")
    current = OrderStatus(order.status)
    following = next_state(action, current)
    if following is None:
        raise IllegalTransition(
            f"A {current} order cannot be {_PAST[action]}.", extensions={"state": current.value}
        )
    if releases_stock(current, following):
        await catalogue.release_stocks(quantities=_quantities(order))
    _move(order, following)
    await _flush(uow, order)
    facts = _facts(order)
    event: OrderEvent
    if following is OrderStatus.PAID:
        event = OrderPaid(**facts)
    elif following is OrderStatus.FULFILLED:
        event = OrderFulfilled(**facts)
    elif following is OrderStatus.CANCELLED:
        event = OrderCancelled(**facts, reason="customer" if by_customer else "manager")
    else:
        event = OrderRefunded(**facts, restocked=current is OrderStatus.PAID)
    await uow.publish(event)
    return order


async def expire_pending(
    uow: UnitOfWork, *, catalogue: Catalogue, before: datetime, batch: int = 200
) -> int:
    """Cancels up to ``batch`` pending orders placed before ``before``, releasing their stock;
    returns how many. Orders another transaction holds (being paid) are left for the next run."""
    await lock_for_writing(uow.session)
    orders = await repository.pending_before(uow.session, before=before, limit=batch)
    if not orders:
        return 0
    quantities: dict[int, int] = {}
    for order in orders:
        for product_id, quantity in _quantities(order).items():
            quantities[product_id] = quantities.get(product_id, 0) + quantity
    await catalogue.release_stocks(quantities=quantities)
    for order in orders:
        _move(order, OrderStatus.CANCELLED)
    await uow.session.flush()
    for order in orders:
        await uow.publish(OrderCancelled(**_facts(order), reason="expired"))
    return len(orders)


_PAST = {
    Action.PAY: "paid",
    Action.CANCEL: "cancelled",
    Action.FULFIL: "fulfilled",
    Action.REFUND: "refunded",
}


def _quantities(order: Order) -> dict[int, int]:
    return {line.product_id: line.quantity for line in order.lines}


def _move(order: Order, following: OrderStatus) -> None:
    order.status = following.value
    order.updated_at = utcnow()


def _facts(order: Order) -> dict[str, object]:
    return {
        "order_id": order.id,
        "user_id": order.user_id,
        "total": order.total,
        "currency": order.currency,
    }


async def _flush(uow: UnitOfWork, order: Order) -> None:
    order_id = order.id
    try:
        await uow.session.flush()
    except StaleDataError:  # another transaction changed the order since it was read
        raise VersionMismatch(f"Order {order_id} changed meanwhile; read it again.") from None
