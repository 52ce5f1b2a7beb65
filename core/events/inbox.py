"""The listeners' inbox: an idempotency record for at-least-once delivery.

A publication is completed in the listener's own transaction, so a listener whose work is only
database writes through ``delivery.uow`` never sees an event twice. Use the inbox when that is
not enough: the listener calls something outside the database (a mail server, a payment
provider) before its transaction commits, or an event can reach it twice (a resubmitted
publication, the same event published by a retried request)::

    async def send_receipt(delivery: Delivery[OrderPaid]) -> None:
        if not await first_delivery(delivery):
            return  # already handled
        ...
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from core.events.listener import Delivery
from core.events.models import InboxEntry


async def first_delivery(delivery: Delivery[Any]) -> bool:
    """Records that this listener handled this event, in the delivery's transaction; returns
    ``False`` when it already had (the record commits or rolls back with the listener's work)."""
    session = delivery.uow.session
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    query = (
        insert(InboxEntry)
        .values(
            listener=delivery.listener,
            event_id=delivery.envelope.id,
            received_at=datetime.now(UTC),
        )
        .on_conflict_do_nothing()
    )
    result = await session.execute(query)
    return bool(result.rowcount)  # type: ignore[attr-defined]
