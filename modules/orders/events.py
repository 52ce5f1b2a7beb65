"""Events of the orders module, all external (sent to the broker when one is configured)::

    OrderEvent                    (not published itself: subscribe to it to hear all five)
     ├── OrderPlaced              orders.placed.v1
     ├── OrderPaid                orders.paid.v1
     ├── OrderCancelled           orders.cancelled.v1
     ├── OrderFulfilled           orders.fulfilled.v1
     └── OrderRefunded            orders.refunded.v1

Each is published in the Unit of Work of the change, so a rolled-back change announces nothing.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import ClassVar, Literal

from core import Event


class OrderEvent(Event):
    """Something happened to an order: its id, customer (``None`` once the account is deleted),
    total and currency."""

    event_external: ClassVar[bool] = True

    order_id: uuid.UUID
    user_id: uuid.UUID | None
    total: Decimal
    currency: str


class OrderPlaced(OrderEvent):
    """A customer placed an order; its stock is reserved until it is paid or cancelled."""

    event_name = "orders.placed"
    lines: int


class OrderPaid(OrderEvent):
    """A pending order was paid."""

    event_name = "orders.paid"


class OrderCancelled(OrderEvent):
    """A pending order was cancelled (by its customer, a manager, or expiry); its stock is back."""

    event_name = "orders.cancelled"
    reason: Literal["customer", "manager", "expired"]


class OrderFulfilled(OrderEvent):
    """A paid order was fulfilled (shipped, handed over)."""

    event_name = "orders.fulfilled"


class OrderRefunded(OrderEvent):
    """A paid or fulfilled order was refunded; ``restocked`` says whether its stock came back
    (only if it had not been fulfilled)."""

    event_name = "orders.refunded"
    restocked: bool


EVENTS: tuple[type[Event], ...] = (
    OrderPlaced,
    OrderPaid,
    OrderCancelled,
    OrderFulfilled,
    OrderRefunded,
)
