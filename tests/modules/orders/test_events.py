"""The orders module's events: declared, documented, external, and public through its api."""

from __future__ import annotations

from core.testing.kernel import kernel_of
from modules.orders import api


def test_every_event_is_external_and_public():
    events: list[type[api.OrderEvent]] = [
        api.OrderPlaced,
        api.OrderPaid,
        api.OrderCancelled,
        api.OrderFulfilled,
        api.OrderRefunded,
    ]

    assert [event.event_type() for event in events] == [
        "orders.placed.v1",
        "orders.paid.v1",
        "orders.cancelled.v1",
        "orders.fulfilled.v1",
        "orders.refunded.v1",
    ]
    assert all(event.event_external for event in events)
    assert all(issubclass(event, api.OrderEvent) for event in events)


async def test_the_record_declares_them(app):
    [orders] = [module for module in kernel_of(app).modules if module.info.name == "orders"]
    declared = orders.info.events

    assert {event.event_type() for event in declared} == {
        "orders.placed.v1",
        "orders.paid.v1",
        "orders.cancelled.v1",
        "orders.fulfilled.v1",
        "orders.refunded.v1",
    }
