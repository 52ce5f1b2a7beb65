"""External events on RabbitMQ: sent once the broker confirmed them, kept while it cannot.

Needs RabbitMQ at ``MOSAIC_TEST_AMQP_URL`` (default ``amqp://guest:guest@127.0.0.1:5672/``): CI
starts it, and fails when it cannot be reached; elsewhere the tests are skipped, saying why.
Each test publishes to an exchange of its own and reads it with a queue bound to every routing
key. The broker going down, or hanging, is played by a relay in front of it (:class:`Gate`), so
the real server is never stopped.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import aio_pika
import pytest
from aio_pika.abc import AbstractIncomingMessage
from yarl import URL

from core import Event
from core.events.broker import AmqpBroker
from core.events.publisher import BROKER
from core.testing.gate import Gate
from core.testing.kernel import kernel_of
from tests.core.publications import attempt_due, publications_of
from tests.fixture_modules.factory import make_plugin

AMQP_URL = os.environ.get("MOSAIC_TEST_AMQP_URL") or "amqp://guest:guest@127.0.0.1:5672/"
# Nothing listens on port 1 of the loopback: connections are refused at once.
UNREACHABLE = "amqp://guest:guest@127.0.0.1:1/"


class Rang(Event):
    """Somebody rang the bell (other services hear it)."""

    event_name = "pings.rang"
    event_external = True

    number: int
    note: str = "ding"


class Pinged(Event):
    """Somebody pinged (only this service hears it)."""

    event_name = "pings.pinged"

    number: int


PLUGINS = {"pings": make_plugin("pings", events=[Rang, Pinged])}


def _rabbitmq_answers(url: str) -> bool:
    address = URL(url)
    try:
        with socket.create_connection((address.host or "127.0.0.1", address.port or 5672), 3):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def amqp_url() -> str:
    """The test broker's URL; fails in CI and skips elsewhere when nothing answers there."""
    if _rabbitmq_answers(AMQP_URL):
        return AMQP_URL
    where = URL(AMQP_URL).with_user(None)
    if os.environ.get("CI") == "true":
        pytest.fail(f"RabbitMQ at {where} cannot be reached; the broker tests must run in CI")
    pytest.skip(f"RabbitMQ at {where} cannot be reached (start it or set MOSAIC_TEST_AMQP_URL)")


class Consumer:
    """A queue bound to every routing key of the test's exchange."""

    def __init__(self, exchange: str, queue: aio_pika.abc.AbstractQueue) -> None:
        self.exchange = exchange
        self.queue = queue

    async def receive(self, count: int) -> list[AbstractIncomingMessage]:
        """Returns the next ``count`` messages, then checks that no other one follows."""
        received: list[AbstractIncomingMessage] = []
        async with asyncio.timeout(5):
            while len(received) < count:
                message = await self.queue.get(fail=False)
                if message is None:
                    await asyncio.sleep(0.02)
                    continue
                await message.ack()
                received.append(message)
        await self.nothing_more()
        return received

    async def nothing_more(self) -> None:
        await asyncio.sleep(0.2)
        extra = await self.queue.get(fail=False)
        assert extra is None, f"unexpected message {extra.body if extra else b''!r}"


@pytest.fixture
async def consumer(amqp_url) -> AsyncIterator[Consumer]:
    exchange_name = f"mosaic.test.{uuid.uuid4().hex}"
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(
            exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(exclusive=True)
        await queue.bind(exchange, "#")
        yield Consumer(exchange_name, queue)
        await exchange.delete()
    finally:
        await connection.close()


@pytest.fixture
async def gate(amqp_url) -> AsyncIterator[Gate]:
    """A relay in front of the test broker: shut, it is a broker that went down; hung, one that
    takes everything and answers nothing."""
    upstream = URL(amqp_url)
    relay = Gate(upstream.host or "127.0.0.1", upstream.port or 5672)
    await relay.open()
    yield relay
    await relay.shut()


def through(gate: Gate, amqp_url: str) -> str:
    """``amqp_url`` reached through ``gate``."""
    return str(URL(amqp_url).with_host("127.0.0.1").with_port(gate.port))


@pytest.fixture
def app_for(mosaic_app):
    async def build(amqp_url: str | None, exchange: str = "mosaic.events", **env):
        return await mosaic_app(
            PLUGINS,
            env={
                "events_dispatch": False,
                "events_retry_delay": 0.001,
                "amqp_url": amqp_url,
                "amqp_exchange": exchange,
                "amqp_timeout": 1.0,
                **env,
            },
        )

    return build


async def publish(app, *events: Event) -> None:
    async with kernel_of(app).database.unit_of_work() as uow:
        for event in events:
            await uow.publish(event)


def numbers(messages: list[AbstractIncomingMessage]) -> list[int]:
    return sorted(json.loads(message.body)["payload"]["number"] for message in messages)


async def test_each_external_event_arrives_once_in_the_documented_envelope(
    app_for, consumer, amqp_url
):
    app = await app_for(amqp_url, consumer.exchange)

    await publish(app, Rang(number=1), Pinged(number=2), Rang(number=3, note="dong"))
    publications = await publications_of(app, BROKER)
    assert await attempt_due(app) == 2

    messages = await consumer.receive(2)
    by_id = {message.message_id: message for message in messages}
    assert set(by_id) == {str(p.event_id) for p in publications}
    for publication in publications:
        message = by_id[str(publication.event_id)]
        body = json.loads(message.body)
        assert body == {
            "id": str(publication.event_id),
            "type": "pings.rang.v1",
            "version": 1,
            "occurred_at": body["occurred_at"],
            "module": "pings",
            "payload": json.loads(publication.payload),
        }
        occurred_at = datetime.fromisoformat(body["occurred_at"])
        assert occurred_at == publication.occurred_at.replace(tzinfo=occurred_at.tzinfo)
        assert occurred_at.utcoffset() == timedelta(0)
        assert message.routing_key == "pings.rang.v1"
        assert message.type == "pings.rang.v1"
        assert message.content_type == "application/json"
        assert message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
    payloads = [json.loads(message.body)["payload"] for message in messages]
    assert sorted(payloads, key=lambda payload: payload["number"]) == [
        {"number": 1, "note": "ding"},
        {"number": 3, "note": "dong"},
    ]
    assert {p.status for p in await publications_of(app, BROKER)} == {"completed"}
    assert await attempt_due(app) == 0


async def test_without_an_amqp_url_nothing_is_externalized(app_for, mosaic_client):
    app = await app_for(None)
    client = await mosaic_client(app)

    await publish(app, Rang(number=1))

    assert kernel_of(app).broker is None
    assert await publications_of(app, BROKER) == []
    assert await attempt_due(app) == 0
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert "broker" not in ready.json()["checks"]


async def test_an_unreachable_broker_keeps_the_publication_until_it_answers(
    app_for, consumer, amqp_url
):
    app = await app_for(UNREACHABLE, consumer.exchange)
    await publish(app, Rang(number=1))

    await attempt_due(app)
    await attempt_due(app)

    [publication] = await publications_of(app, BROKER)
    assert (publication.status, publication.attempts) == ("incomplete", 2)
    assert "cannot connect to the broker at amqp://127.0.0.1:1/" in (publication.last_error or "")
    assert "guest" not in (publication.last_error or "")  # no credentials in the registry
    await consumer.nothing_more()

    # The broker is back: the same publications, sent by a worker that reaches it.
    broker = AmqpBroker(amqp_url, exchange=consumer.exchange, timeout=1.0)
    kernel_of(app).dispatcher.broker = broker.send
    try:
        await attempt_due(app)
    finally:
        await broker.close()

    [publication] = await publications_of(app, BROKER)
    assert (publication.status, publication.attempts) == ("completed", 3)
    assert numbers(await consumer.receive(1)) == [1]


async def test_a_broker_lost_mid_run_loses_nothing_and_gets_everything_back(
    app_for, consumer, gate, amqp_url
):
    app = await app_for(through(gate, amqp_url), consumer.exchange)
    await publish(app, *(Rang(number=n) for n in range(5)))
    await attempt_due(app)
    assert numbers(await consumer.receive(5)) == list(range(5))

    await gate.shut()
    await publish(app, *(Rang(number=n) for n in range(5, 10)))
    await attempt_due(app)

    waiting = [p for p in await publications_of(app, BROKER) if p.status == "incomplete"]
    assert len(waiting) == 5
    assert all(p.attempts == 1 and "broker" in (p.last_error or "") for p in waiting)
    await consumer.nothing_more()

    await gate.open()
    await attempt_due(app)

    assert numbers(await consumer.receive(5)) == list(range(5, 10))
    assert {p.status for p in await publications_of(app, BROKER)} == {"completed"}


async def test_a_broker_that_never_confirms_leaves_the_publication_incomplete(
    app_for, consumer, gate, amqp_url
):
    # spring-modulith #395: a publication completed although the broker never took the message.
    app = await app_for(through(gate, amqp_url), consumer.exchange, amqp_timeout=0.5)
    broker = kernel_of(app).broker
    assert broker is not None and await broker.reachable()  # connected, then the broker hangs
    gate.hung = True
    await publish(app, Rang(number=1))

    await attempt_due(app)

    [publication] = await publications_of(app, BROKER)
    assert (publication.status, publication.attempts) == ("incomplete", 1)
    assert "did not confirm within 0.5s" in (publication.last_error or "")
    await consumer.nothing_more()

    await gate.shut()
    await gate.open()
    await asyncio.sleep(0.5)  # sends fail at once for as long as the timeout after a silence
    await attempt_due(app)

    [publication] = await publications_of(app, BROKER)
    assert publication.status == "completed"
    assert numbers(await consumer.receive(1)) == [1]


async def test_a_send_that_fails_or_times_out_is_never_completed(app_for, consumer, amqp_url):
    app = await app_for(amqp_url, consumer.exchange)
    attempts = 0

    async def silent(_envelope) -> None:
        nonlocal attempts
        attempts += 1
        raise TimeoutError("no confirm")

    kernel_of(app).dispatcher.broker = silent
    await publish(app, Rang(number=1))
    await attempt_due(app)
    await attempt_due(app)

    [publication] = await publications_of(app, BROKER)
    assert (publication.status, publication.attempts, attempts) == ("incomplete", 2, 2)
    assert publication.last_error == "TimeoutError: no confirm"


async def test_an_event_no_queue_listens_to_is_confirmed_and_completed(app_for, amqp_url, caplog):
    exchange = f"mosaic.test.{uuid.uuid4().hex}"
    app = await app_for(amqp_url, exchange)
    await publish(app, Rang(number=1))

    with caplog.at_level(logging.WARNING, logger="mosaic.events"):
        await attempt_due(app)

    [publication] = await publications_of(app, BROKER)
    assert publication.status == "completed"
    assert "no queue is bound for pings.rang.v1" in caplog.text
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        await (await connection.channel()).exchange_delete(exchange)


async def test_the_running_service_sends_external_events(
    app_for, consumer, mosaic_client, amqp_url
):
    app = await app_for(amqp_url, consumer.exchange, events_dispatch=True)
    await mosaic_client(app)

    await publish(app, Rang(number=4))

    assert numbers(await consumer.receive(1)) == [4]


async def test_readiness_reports_the_broker(app_for, consumer, mosaic_client, amqp_url):
    down = await mosaic_client(await app_for(UNREACHABLE, consumer.exchange))
    up = await mosaic_client(await app_for(amqp_url, consumer.exchange))

    refused = await down.get("/health/ready")
    ready = await up.get("/health/ready")

    assert refused.status_code == 503
    assert refused.json()["code"] == "core.service_unavailable"
    assert "message broker" in refused.json()["detail"]
    assert int(refused.headers["retry-after"]) > 0
    assert ready.status_code == 200
    assert ready.json()["checks"]["broker"] == "ok"
