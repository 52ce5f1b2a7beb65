"""Publishing: an event becomes publication rows in the publisher's own transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

from sqlalchemy import Table, insert

from core.events.event import Envelope, Event
from core.events.listener import Delivery, Mode
from core.events.models import Publication
from core.events.registry import EventRegistry
from core.http.request_id import request_id_var

if TYPE_CHECKING:
    from core.db.uow import UnitOfWork

# The registry name of the broker's publication for an external event.
BROKER = "core.broker"
# The registry name (and type) of a mail's publication: delivered to the SMTP server, never to a
# listener (see core.mail).
MAILER = "core.mail"
PUBLICATIONS = cast(Table, Publication.__table__)


class EventPublisher:
    """Turns ``uow.publish(event)`` into in-transaction deliveries and publication rows.

    In-transaction listeners run at once, in the publisher's Unit of Work. Every after-commit
    listener (and the broker, for an external event when one is configured) gets one
    publication, added to the same session: a rollback leaves none, a commit leaves them all.
    """

    def __init__(self, registry: EventRegistry, *, externalize: bool = False) -> None:
        self.registry = registry
        self.externalize = externalize
        #: Called with what a Unit of Work published, once it committed: the dispatcher wakes,
        #: metrics count, the test kit's ``published_events`` records. (Empty when the Unit of
        #: Work committed only mail, which is no event: the dispatcher wakes for it all the same.)
        self.on_commit: list[Callable[[Sequence[Envelope]], object]] = []

    async def publish(self, uow: UnitOfWork, event: Event) -> Envelope:
        """Publishes ``event`` in ``uow``; returns its envelope."""
        subscriptions = self.registry.subscribers(type(event))
        envelope = Envelope.wrap(event, request_id=request_id_var.get(), actor=uow.actor)
        rows: list[dict[str, object]] = []
        for subscription in subscriptions:
            if subscription.mode is Mode.IN_TRANSACTION:
                await subscription.listener.handler(
                    Delivery(event, envelope, uow, subscription.name)
                )
            else:
                rows.append(_publication(envelope, subscription.name))
        if self.externalize and type(event).event_external:
            rows.append(_publication(envelope, BROKER))
        if rows:
            # One INSERT for every listener, executed now in the publisher's transaction: the
            # ORM's unit of work would cost more than the rows themselves.
            await uow.session.execute(insert(PUBLICATIONS), rows)
        return envelope

    def committed(self, envelopes: Sequence[Envelope]) -> None:
        """Called by a Unit of Work once what it published is committed."""
        for callback in self.on_commit:
            callback(envelopes)


def _publication(envelope: Envelope, listener: str) -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "event_id": envelope.id,
        "event_type": envelope.type,
        "module": envelope.module,
        "listener": listener,
        "payload": envelope.payload,
        "occurred_at": envelope.occurred_at,
        "request_id": envelope.request_id,
        "actor": envelope.actor,
        "attempts": 0,
        "next_attempt_at": envelope.occurred_at,
    }
