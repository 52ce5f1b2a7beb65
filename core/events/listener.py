"""Listeners: what a module does when an event happens, and in which of two modes.

``IN_TRANSACTION`` runs the handler inside the publisher's Unit of Work, before it commits: the
reaction and the business change are one transaction (ending sessions when a password changes
must hold on the very next request). ``AFTER_COMMIT`` (the default) writes a publication in that
transaction and runs the handler later, in a Unit of Work of its own, retried with backoff until
it succeeds or is abandoned; the request does not wait for it.

A module subscribes to another module's event only through that module's public ``api``; a
listener whose event type belongs to no enabled module is inactive. Subscribing to
:class:`~core.events.event.Event` itself receives every event type (the audit trail does).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from core.events.event import Envelope, Event

if TYPE_CHECKING:
    from core.db.uow import UnitOfWork

E = TypeVar("E", bound=Event)


class Mode(StrEnum):
    """When a listener runs relative to the publisher's transaction."""

    IN_TRANSACTION = "in_transaction"
    AFTER_COMMIT = "after_commit"


@dataclass(frozen=True, slots=True)
class Delivery(Generic[E]):
    """One event handed to one listener: the event, its envelope and the Unit of Work to use.

    The handler works through ``uow`` and never commits; for an after-commit listener the
    publication is marked completed in that same transaction, so the reaction and its
    completion are one.
    """

    event: E
    envelope: Envelope
    uow: UnitOfWork
    listener: str
    attempt: int = 1

    def payload(self) -> dict[str, Any]:
        """The event's fields as JSON values (as the broker and the audit trail see them)."""
        value: dict[str, Any] = json.loads(self.envelope.payload)
        return value


Handler = Callable[[Delivery[Any]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Listener:
    """A subscription: ``handler`` runs for every published ``event`` (or subclass).

    ``name`` identifies the listener in the publication registry, so it must stay stable across
    releases; it defaults to ``<module>.<handler function name>``.
    """

    event: type[Event]
    handler: Handler
    mode: Mode = Mode.AFTER_COMMIT
    name: str | None = field(default=None)

    def named(self, module: str) -> str:
        """The listener's registry name when declared by ``module``."""
        return self.name or f"{module}.{getattr(self.handler, '__name__', 'handler')}"

    def receives(self, event: type[Event]) -> bool:
        """Whether ``event`` is one this listener subscribed to."""
        return issubclass(event, self.event)
