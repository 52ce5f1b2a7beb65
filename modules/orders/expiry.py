"""Cancelling unpaid orders past ``pending_expiry_minutes``: the command and the periodic job
share this."""

from __future__ import annotations

from datetime import datetime, timedelta

from core import Kernel, utcnow
from core.db import UnitOfWork
from modules.catalogue.api import Catalogue
from modules.orders import service
from modules.orders.config import OrdersSettings

# ISO 4217's code for "no currency": releasing stock shows no price.
_NO_CURRENCY = "XXX"
BATCH = 200


def cutoff(settings: OrdersSettings) -> datetime | None:
    """Returns the moment before which a pending order has expired, or ``None`` when the
    deployment lets orders wait forever."""
    minutes = settings.pending_expiry_minutes
    return utcnow() - timedelta(minutes=minutes) if minutes is not None else None


async def expire_job(uow: UnitOfWork, settings: OrdersSettings) -> int:
    """The periodic job: cancels one batch of expired orders (the next run takes the next
    batch); does nothing unless ``pending_expiry_minutes`` is set."""
    before = cutoff(settings)
    if before is None:
        return 0
    catalogue = Catalogue(uow, currency=_NO_CURRENCY)
    return await service.expire_pending(uow, catalogue=catalogue, before=before, batch=BATCH)


async def expire_all(kernel: Kernel, *, before: datetime) -> int:
    """Cancels every pending order placed before ``before``, a batch per transaction; returns
    how many."""
    total = 0
    while True:
        async with kernel.database.unit_of_work() as uow:
            done = await service.expire_pending(
                uow, catalogue=Catalogue.of(kernel, uow), before=before, batch=BATCH
            )
        total += done
        if done < BATCH:
            return total
