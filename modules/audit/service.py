"""Rules of the audit trail. Functions work over the Unit of Work and never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from core import Delivery, first_delivery
from core.db import UnitOfWork
from modules.audit import repository
from modules.audit.models import Entry
from modules.audit.repository import EntryFilter, Position


async def record(delivery: Delivery[Any]) -> None:
    """Listener of every event type: appends one entry per event, once (a redelivered event is
    recognised by the inbox and not written twice)."""
    if not await first_delivery(delivery):
        return
    envelope = delivery.envelope
    delivery.uow.session.add(
        Entry(
            event_id=envelope.id,
            event_type=envelope.type,
            module=envelope.module,
            actor=envelope.actor,
            request_id=envelope.request_id,
            occurred_at=envelope.occurred_at,
            payload=delivery.payload(),
            recorded_at=datetime.now(UTC),
        )
    )


async def list_entries(
    uow: UnitOfWork, *, where: EntryFilter, after: Position | None, limit: int
) -> Sequence[Entry]:
    """Returns one page of entries, newest first."""
    return await repository.page(uow.session, where=where, after=after, limit=limit)
