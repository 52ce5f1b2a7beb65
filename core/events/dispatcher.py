"""Delivery after commit: leases due publications and runs their listeners, with retries.

Every worker process runs one dispatcher. It wakes when a Unit of Work of its process commits
publications, and polls otherwise, so publications written by another process, or left behind
by a process that died, are delivered too. A publication is leased before delivery (``FOR
UPDATE SKIP LOCKED`` on PostgreSQL picks rows no other dispatcher holds) and completed in the
listener's own transaction only while the lease is still ours, so a listener's writes and its
completion commit together, once. Failures are retried after an exponentially growing delay
until ``MOSAIC_EVENTS_MAX_ATTEMPTS``, then the publication is abandoned: kept, listed by
``mosaic events list --status abandoned`` and resubmitted by ``mosaic events retry``.

Two publications go to no listener: an external event's, to the broker (``core.broker``), and a
mail's, to the SMTP server (``core.mail``); each completes only once that server took it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol

from core.config.settings import Settings
from core.db.uow import UnitOfWork
from core.events import repository
from core.events.event import Envelope
from core.events.listener import Delivery, Mode
from core.events.models import Publication
from core.events.publisher import BROKER, MAILER, EventPublisher
from core.mail.message import MailMessage
from core.mail.seal import MailSeal

logger = logging.getLogger("mosaic.events")

BATCH = 50
MAX_ERROR_LENGTH = 2000

# Sends one envelope to the broker; returns once the broker confirmed it.
BrokerSend = Callable[[Envelope], Awaitable[None]]
# Sends one mail; returns once the SMTP server accepted it (or the log took it, in development).
MailSend = Callable[[MailMessage], Awaitable[None]]


class DeliveryObserver(Protocol):
    """Told of every delivery's outcome (the metrics are)."""

    def event_delivered(self, publication: Publication, lag: float) -> None:
        """``publication`` completed ``lag`` seconds after its event occurred."""

    def event_failed(self, publication: Publication) -> None:
        """An attempt at ``publication`` failed (it is retried or abandoned)."""


class LeaseLost(Exception):
    """Our lease ran out and another dispatcher took the publication: our work is rolled back."""


class Dispatcher:
    """Delivers the publications of the enabled listeners (and the broker's and the mails',
    when they are set)."""

    def __init__(
        self,
        publisher: EventPublisher,
        unit_of_work: Callable[[], UnitOfWork],
        settings: Settings,
        *,
        broker: BrokerSend | None = None,
        mail: MailSend | None = None,
    ) -> None:
        self.publisher = publisher
        self.unit_of_work = unit_of_work
        self.settings = settings
        self.broker = broker
        self.mail = mail
        self.mail_seal = MailSeal(settings.secret_key.get_secret_value())
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.observers: list[DeliveryObserver] = []

    @property
    def listeners(self) -> set[str]:
        """The registry names this dispatcher delivers to."""
        subscriptions = self.publisher.registry.subscriptions.values()
        names = {s.name for s in subscriptions if s.mode is Mode.AFTER_COMMIT}
        if self.broker is not None:
            names.add(BROKER)
        if self.mail is not None:
            names.add(MAILER)
        return names

    def start(self) -> None:
        """Starts delivering in the background until :meth:`stop` (unless nothing listens: then
        there is never anything to deliver, and the database is not polled)."""
        if not self.listeners:
            return
        self.publisher.on_commit.append(self._committed)
        self._task = asyncio.create_task(self._run(), name="mosaic-events")

    async def stop(self) -> None:
        """Stops after the delivery in progress (an unfinished one is rolled back and retried)."""
        with contextlib.suppress(ValueError):
            self.publisher.on_commit.remove(self._committed)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def drain(self) -> int:
        """Delivers until nothing is due; returns how many deliveries were attempted."""
        attempted = 0
        while count := await self.deliver_due():
            attempted += count
        return attempted

    async def deliver_due(self) -> int:
        """Leases one batch of due publications and delivers each; returns the batch's size."""
        now = datetime.now(UTC)
        token = uuid.uuid4().hex
        async with self.unit_of_work() as uow:
            if not await repository.any_due(uow.session, listeners=self.listeners, now=now):
                return 0
            batch = await repository.claim(
                uow.session,
                listeners=self.listeners,
                now=now,
                lease_until=now + timedelta(seconds=self.settings.events_lease),
                token=token,
                limit=BATCH,
            )
        for publication in batch:
            await self._deliver(publication, token)
        return len(batch)

    def _committed(self, _envelopes: Sequence[Envelope]) -> None:
        self._wake.set()

    async def _run(self) -> None:
        task = asyncio.current_task()
        while True:
            # Python 3.11's asyncio.wait_for drops a cancellation that arrives as its future
            # completes (a server closing the connection as the worker stops): stop all the same.
            if task is not None and task.cancelling():
                raise asyncio.CancelledError
            # Cleared before looking, not after: a commit while we look is not slept through.
            self._wake.clear()
            try:
                busy = await self.deliver_due()
            except Exception:  # the database is down, say: poll again later
                logger.exception("event delivery failed; retrying")
                busy = 0
            if busy:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.settings.events_poll_interval)

    async def _deliver(self, publication: Publication, token: str) -> None:
        try:
            if publication.listener == BROKER:
                await self._send(publication, token)
            elif publication.listener == MAILER:
                await self._send_mail(publication, token)
            else:
                await self._handle(publication, token)
        except Exception as exc:
            await self._failed(publication, token, exc)
        else:
            lag = (datetime.now(UTC) - _aware(publication.occurred_at)).total_seconds()
            for observer in self.observers:
                observer.event_delivered(publication, lag)

    async def _handle(self, publication: Publication, token: str) -> None:
        registry = self.publisher.registry
        subscription = registry.subscriptions[publication.listener]
        event_type = registry.types.get(publication.event_type)
        if event_type is None:
            raise LookupError(f"event type {publication.event_type} is not enabled")
        event = event_type.model_validate_json(publication.payload)
        async with self.unit_of_work() as uow:
            delivery = Delivery(
                event, _envelope(publication), uow, subscription.name, publication.attempts
            )
            await subscription.listener.handler(delivery)
            await self._complete(uow, publication, token)

    async def _send(self, publication: Publication, token: str) -> None:
        assert self.broker is not None
        # Completed only once the broker confirmed it: a broker that never took the message
        # leaves the publication incomplete, to be sent again.
        await self.broker(_envelope(publication))
        async with self.unit_of_work() as uow:
            await self._complete(uow, publication, token)

    async def _send_mail(self, publication: Publication, token: str) -> None:
        assert self.mail is not None
        message = self.mail_seal.open(publication.payload)
        # Like the broker's: completed only once the server accepted the message. What it
        # keeps is the message's identity; the body, and the links in it, go.
        await self.mail(message)
        async with self.unit_of_work() as uow:
            await self._complete(uow, publication, token, payload=message.receipt())

    async def _complete(
        self, uow: UnitOfWork, publication: Publication, token: str, *, payload: str | None = None
    ) -> None:
        now = datetime.now(UTC)
        if not await repository.complete(
            uow.session, publication_id=publication.id, token=token, now=now, payload=payload
        ):
            raise LeaseLost(f"publication {publication.id} was taken over by another deliverer")

    async def _failed(self, publication: Publication, token: str, exc: Exception) -> None:
        for observer in self.observers:
            observer.event_failed(publication)
        attempts = publication.attempts
        abandon = attempts >= self.settings.events_max_attempts
        logger.warning(
            "event %s to %s failed (attempt %d%s): %r",
            publication.event_type,
            publication.listener,
            attempts,
            ", abandoned" if abandon else "",
            exc,
            exc_info=not isinstance(exc, LeaseLost),
        )
        if isinstance(exc, LeaseLost):
            return
        now = datetime.now(UTC)
        delay = min(
            self.settings.events_retry_delay * 2 ** (attempts - 1),
            self.settings.events_retry_max_delay,
        )
        async with self.unit_of_work() as uow:
            await repository.fail(
                uow.session,
                publication_id=publication.id,
                token=token,
                error=f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH],
                retry_at=None if abandon else now + timedelta(seconds=delay),
                now=now,
            )


def _envelope(publication: Publication) -> Envelope:
    return Envelope(
        id=publication.event_id,
        type=publication.event_type,
        module=publication.module,
        occurred_at=_aware(publication.occurred_at),
        payload=publication.payload,
        request_id=publication.request_id,
        actor=publication.actor,
    )


def _aware(moment: datetime) -> datetime:
    # SQLite keeps no offset; every timestamp the kernel writes is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
