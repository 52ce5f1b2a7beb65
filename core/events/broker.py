"""The message broker external events go to: RabbitMQ, over AMQP 0-9-1 with publisher confirms.

Each worker keeps one robust connection, opened on the first send and re-opened in the
background when the broker drops it. Every external event is published, persistent, to one
durable topic exchange (``MOSAIC_AMQP_EXCHANGE``) under its versioned type as routing key, and
:meth:`AmqpBroker.send` returns only once the broker confirmed the message: the dispatcher
completes the publication after that, never before, so a message the broker did not take is
sent again.

An unroutable message (no queue bound for its type) counts as delivered: RabbitMQ confirms it,
the topic exchange decouples publishers from consumers, and a publication retried until no one
listens would only be abandoned. It is logged, and an alternate exchange set on the broker keeps
such messages.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING

from yarl import URL

from core.events.event import Envelope

if TYPE_CHECKING:
    from aio_pika.abc import AbstractExchange, AbstractRobustConnection

logger = logging.getLogger("mosaic.events")

CONTENT_TYPE = "application/json"


class BrokerError(Exception):
    """The broker did not confirm a message: unreachable, refused it, or silent for too long."""


def message_body(envelope: Envelope) -> bytes:
    """Returns the JSON document consumers receive for ``envelope`` (the README's "Events")."""
    _name, _, version = envelope.type.rpartition(".v")
    document = {
        "id": str(envelope.id),
        "type": envelope.type,
        "version": int(version),
        "occurred_at": envelope.occurred_at.isoformat(),
        "module": envelope.module,
        "payload": json.loads(envelope.payload),
    }
    return json.dumps(document, separators=(",", ":")).encode()


class AmqpBroker:
    """Publishes envelopes to a RabbitMQ topic exchange and waits for the broker's confirm.

    ``timeout`` bounds every wait (connecting, declaring, each confirm), so a hung broker fails
    the attempt instead of holding the dispatcher; after such a timeout, sends fail at once for
    as long again, so one batch of publications does not wait out the timeout one by one.
    """

    def __init__(self, url: str, *, exchange: str, timeout: float) -> None:
        self.url = url
        self.exchange_name = exchange
        self.timeout = timeout
        #: The broker's address without credentials, for messages and logs.
        self.where = str(URL(url).with_user(None).with_query(None))
        self._connection: AbstractRobustConnection | None = None
        self._exchange: AbstractExchange | None = None
        self._connecting = asyncio.Lock()
        self._silent_until = 0.0

    async def send(self, envelope: Envelope) -> None:
        """Publishes ``envelope``; returns once the broker confirmed it, raises
        :class:`BrokerError` otherwise (the message may still have arrived: at least once)."""
        from aio_pika import DeliveryMode, Message
        from aio_pika.exceptions import DeliveryError

        self._refuse_while_silent()
        exchange = await self._ready()
        message = Message(
            message_body(envelope),
            content_type=CONTENT_TYPE,
            delivery_mode=DeliveryMode.PERSISTENT,
            message_id=str(envelope.id),
            type=envelope.type,
            timestamp=envelope.occurred_at,
        )
        try:
            confirmed = await exchange.publish(
                message, routing_key=envelope.type, mandatory=True, timeout=self.timeout
            )
        except TimeoutError:
            await self._went_silent()
            raise BrokerError(
                f"the broker at {self.where} did not confirm within {self.timeout:g}s"
            ) from None
        except DeliveryError as exc:
            raise BrokerError(f"the broker at {self.where} refused the message: {exc}") from None
        except Exception as exc:  # connection or channel lost: the connection recovers
            raise BrokerError(f"sending to the broker at {self.where} failed: {exc!r}") from None
        if not _is_ack(confirmed):
            logger.warning(
                "no queue is bound for %s on exchange %s: the broker dropped event %s",
                envelope.type,
                self.exchange_name,
                envelope.id,
            )

    async def reachable(self) -> bool:
        """Whether the broker answers: the connection is up, or one opens now."""
        try:
            self._refuse_while_silent()
            await self._ready()
        except BrokerError:
            return False
        return True

    async def close(self) -> None:
        """Closes the connection (a later send opens a new one)."""
        connection, self._connection, self._exchange = self._connection, None, None
        if connection is not None:
            await self._close(connection)

    async def _ready(self) -> AbstractExchange:
        async with self._connecting:
            connection = self._connection
            if connection is not None and not connection.connected.is_set():
                # Lost and not yet recovered in the background: try again now instead.
                await self.close()
            if self._exchange is None:
                self._exchange = await self._connect()
            return self._exchange

    async def _connect(self) -> AbstractExchange:
        from aio_pika import ExchangeType, RobustConnection

        connection = RobustConnection(URL(self.url))
        try:
            await connection.connect(timeout=self.timeout)
            async with asyncio.timeout(self.timeout):
                channel = connection.channel(publisher_confirms=True)
                await channel.initialize()
                # Declared again by the robust channel after every reconnection.
                exchange = await channel.declare_exchange(
                    self.exchange_name, ExchangeType.TOPIC, durable=True
                )
        except BaseException as exc:
            await self._close(connection)
            if isinstance(exc, TimeoutError):
                self._silent_until = _now() + self.timeout
                raise BrokerError(
                    f"the broker at {self.where} did not answer within {self.timeout:g}s"
                ) from None
            if isinstance(exc, Exception):
                raise BrokerError(
                    f"cannot connect to the broker at {self.where}: {exc!r}"
                ) from None
            raise
        logger.info("connected to the broker at %s, exchange %s", self.where, self.exchange_name)
        self._connection = connection
        return exchange

    async def _went_silent(self) -> None:
        # A connection that stops confirming is not trusted again: the next send opens another.
        self._silent_until = _now() + self.timeout
        await self.close()

    async def _close(self, connection: AbstractRobustConnection) -> None:
        # A silent broker never answers the close either; the socket is dropped all the same.
        try:
            async with asyncio.timeout(self.timeout):
                await connection.close()
        except Exception:
            logger.warning("the connection to the broker at %s did not close cleanly", self.where)

    def _refuse_while_silent(self) -> None:
        if _now() < self._silent_until:
            raise BrokerError(
                f"the broker at {self.where} did not answer moments ago; not tried again yet"
            )


def _is_ack(confirmation: object) -> bool:
    from aiormq import spec

    return isinstance(confirmation, spec.Basic.Ack)


def _now() -> float:
    return asyncio.get_running_loop().time()
