"""The life of an order: which action moves it from which state to which::

    pending ──pay──▶ paid ──fulfil──▶ fulfilled
       │               │                  │
     cancel          refund             refund
       ▼               ▼                  │
    cancelled       refunded ◀────────────┘

Cancelling releases the order's stock; so does refunding an order that was not fulfilled
(what was handed over does not come back to the shelf).
"""

from __future__ import annotations

from enum import StrEnum

from modules.orders.models import OrderStatus


class Action(StrEnum):
    """What a transition endpoint does."""

    PAY = "pay"
    CANCEL = "cancel"
    FULFIL = "fulfil"
    REFUND = "refund"


TRANSITIONS: dict[tuple[Action, OrderStatus], OrderStatus] = {
    (Action.PAY, OrderStatus.PENDING): OrderStatus.PAID,
    (Action.CANCEL, OrderStatus.PENDING): OrderStatus.CANCELLED,
    (Action.FULFIL, OrderStatus.PAID): OrderStatus.FULFILLED,
    (Action.REFUND, OrderStatus.PAID): OrderStatus.REFUNDED,
    (Action.REFUND, OrderStatus.FULFILLED): OrderStatus.REFUNDED,
}

#: The states whose stock is still reserved for the order: leaving them gives it back, unless
#: the order is fulfilled.
HOLDS_STOCK = frozenset({OrderStatus.PENDING, OrderStatus.PAID})


def next_state(action: Action, current: OrderStatus) -> OrderStatus | None:
    """Returns the state ``action`` moves an order in ``current`` to, or ``None`` when it may
    not."""
    return TRANSITIONS.get((action, current))


def releases_stock(current: OrderStatus, following: OrderStatus) -> bool:
    """Whether moving from ``current`` to ``following`` gives the order's stock back."""
    return current in HOLDS_STOCK and following in {OrderStatus.CANCELLED, OrderStatus.REFUNDED}
