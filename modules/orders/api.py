"""The orders module's public API: the only thing other modules may import.

Other modules react to orders through their events (all external, so other systems hear them
too)::

    from modules.orders.api import OrderPaid

    listeners = [Listener(OrderPaid, start_shipping)]
"""

from __future__ import annotations

from modules.orders.events import (
    OrderCancelled,
    OrderEvent,
    OrderFulfilled,
    OrderPaid,
    OrderPlaced,
    OrderRefunded,
)

__all__ = [
    "OrderCancelled",
    "OrderEvent",
    "OrderFulfilled",
    "OrderPaid",
    "OrderPlaced",
    "OrderRefunded",
]
