"""Publications as the dispatcher leaves them, and one delivery attempt at a time, for tests of
what happens between a failed attempt and the next."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI
from sqlalchemy import select

from core.events.models import Publication
from core.testing.kernel import kernel_of


async def publications_of(app: FastAPI, listener: str) -> list[Publication]:
    """Returns every publication to ``listener`` (``MAILER``, the broker's) as it stands."""
    async with kernel_of(app).database.unit_of_work() as uow:
        query = select(Publication).where(Publication.listener == listener)
        return list((await uow.session.scalars(query)).all())


async def attempt_due(app: FastAPI) -> int:
    """Attempts each publication due now once and returns how many it attempted; unlike
    ``deliver_events``, a failure is left for the next call."""
    await asyncio.sleep(0.01)  # past the (tiny) backoff of a failed attempt
    attempted: int = await kernel_of(app).dispatcher.deliver_due()
    return attempted
