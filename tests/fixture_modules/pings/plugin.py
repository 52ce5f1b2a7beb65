"""``pings``: publishes ``pings.pinged.v1``, and a listener that can hang (to be killed)."""

from __future__ import annotations

import asyncio
import os

from core import Delivery, Event, Listener, Module, hookimpl

# Set in a worker that must hang inside the listener, holding the publication's lease.
HANG_ENV = "PINGS_LISTENER_HANGS"
RECEIVED: list[int] = []


class Pinged(Event):
    """Somebody pinged."""

    event_name = "pings.pinged"

    number: int


async def record(delivery: Delivery[Pinged]) -> None:
    if os.environ.get(HANG_ENV):
        await asyncio.sleep(3600)
    RECEIVED.append(delivery.event.number)


@hookimpl
def mosaic_describe_module() -> Module:
    return Module(
        name="pings",
        version="0",
        description="Publishes pings and hears them, for the event tests.",
        events=[Pinged],
        listeners=[Listener(Pinged, record, name="pings.record")],
    )
