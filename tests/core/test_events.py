"""Events: publications written with the business data, delivered after commit, retried.

Two small modules: ``pings`` publishes ``pings.pinged.v1``; ``pongs`` listens, once after
commit and (in some tests) once inside the publisher's transaction.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import pytest
from sqlalchemy import func, select

from core import Delivery, Event, Listener, Mode, first_delivery
from core.config.errors import ConfigError
from core.config.plugins_file import parse_plugins_document
from core.config.settings import Settings
from core.events.models import Publication
from core.kernel.kernel import Kernel
from core.testing.databases import is_postgres
from core.testing.kernel import kernel_of
from tests.fixture_modules.factory import make_plugin


class Pinged(Event):
    """Somebody pinged."""

    event_name = "pings.pinged"

    number: int


class Recorder:
    """A listener that fails its first ``failures`` calls, then records what it received."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.calls = 0
        self.received: list[int] = []

    async def __call__(self, delivery: Delivery[Pinged]) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise RuntimeError(f"failure {self.calls}")
        self.received.append(delivery.event.number)


def plugins(listener: Recorder, *, mode: Mode = Mode.AFTER_COMMIT) -> dict[str, object]:
    return {
        "pings": make_plugin("pings", events=[Pinged]),
        "pongs": make_plugin(
            "pongs",
            depends_on=["pings"],
            listeners=[Listener(Pinged, listener, mode=mode, name="pongs.record")],
        ),
    }


@pytest.fixture
def app_for(mosaic_app):
    async def build(listener: Recorder, *, enabled=None, mode=Mode.AFTER_COMMIT, **env):
        return await mosaic_app(
            plugins(listener, mode=mode),
            enabled=enabled,
            env={"events_dispatch": False, "events_retry_delay": 0.001, **env},
        )

    return build


async def publish(app, *numbers: int, fail: bool = False) -> None:
    async with kernel_of(app).database.unit_of_work() as uow:
        for number in numbers:
            await uow.publish(Pinged(number=number))
        if fail:
            raise RuntimeError("the business rule refused")


async def publications(app) -> list[Publication]:
    async with kernel_of(app).database.unit_of_work() as uow:
        return list((await uow.session.scalars(select(Publication))).all())


async def test_a_rollback_leaves_no_publication(app_for, published_events):
    app = await app_for(recorder := Recorder())

    with pytest.raises(RuntimeError):
        await publish(app, 1, fail=True)

    assert await publications(app) == []
    assert published_events == []
    assert await kernel_of(app).dispatcher.drain() == 0
    assert recorder.received == []


async def test_a_commit_leaves_one_publication_per_listener_delivered_once(
    app_for, published_events, deliver_events
):
    app = await app_for(recorder := Recorder())

    await publish(app, 1, 2)
    [first, second] = await publications(app)

    assert {first.listener, second.listener} == {"pongs.record"}
    assert {first.status, second.status} == {"incomplete"}
    assert published_events.types == ["pings.pinged.v1", "pings.pinged.v1"]
    assert await deliver_events(app) == 2
    assert sorted(recorder.received) == [1, 2]
    assert {p.status for p in await publications(app)} == {"completed"}
    assert await deliver_events(app) == 0


async def test_a_listener_failing_twice_completes_on_the_third_attempt(app_for, deliver_events):
    app = await app_for(recorder := Recorder(failures=2))
    await publish(app, 7)

    for _ in range(3):
        await asyncio.sleep(0.01)  # past the (tiny) backoff
        await deliver_events(app)

    [publication] = await publications(app)
    assert publication.status == "completed"
    assert publication.attempts == 3
    assert recorder.received == [7]


async def test_a_listener_that_always_fails_is_abandoned_then_resubmitted(app_for, deliver_events):
    from core.events import repository

    app = await app_for(recorder := Recorder(failures=10**6), events_max_attempts=3)
    await publish(app, 5)
    for _ in range(5):
        await asyncio.sleep(0.01)
        await deliver_events(app)
    [publication] = await publications(app)
    assert (publication.status, publication.attempts) == ("abandoned", 3)
    assert "failure 3" in (publication.last_error or "")

    recorder.failures = 0  # the fault is fixed
    async with kernel_of(app).database.unit_of_work() as uow:
        assert await repository.resubmit(uow.session, now=publication.occurred_at) == 1
    await deliver_events(app)

    [publication] = await publications(app)
    assert publication.status == "completed"
    assert recorder.received == [5]


async def test_delivery_runs_after_commit_in_the_background(app_for):
    app = await app_for(recorder := Recorder(), events_dispatch=True)
    from core.testing.client import app_client

    async with app_client(app):
        await publish(app, 3)
        for _ in range(200):
            if recorder.received:
                break
            await asyncio.sleep(0.01)

    assert recorder.received == [3]


async def test_an_in_transaction_listener_runs_before_commit_and_its_failure_rolls_back(
    app_for,
):
    app = await app_for(recorder := Recorder(failures=1), mode=Mode.IN_TRANSACTION)

    with pytest.raises(RuntimeError, match="failure 1"):
        await publish(app, 1)
    await publish(app, 2)

    assert recorder.received == [2]
    assert await publications(app) == []  # nothing left to deliver later


async def test_a_disabled_modules_listener_gets_no_publication(app_for):
    app = await app_for(Recorder(), enabled=["pings"])

    await publish(app, 1)

    assert await publications(app) == []


async def test_an_unregistered_event_type_cannot_be_published(app_for):
    class Stray(Event):
        """Not registered by any module."""

        event_name = "pings.stray"

    app = await app_for(Recorder())

    with pytest.raises(LookupError, match=r"pings\.stray\.v1"):
        async with kernel_of(app).database.unit_of_work() as uow:
            await uow.publish(Stray())


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (type("NoName", (Event,), {"__doc__": "x"}), "needs an event_name"),
        (type("Foreign", (Event,), {"__doc__": "x", "event_name": "other.thing"}), "its owner"),
        (type("Undocumented", (Event,), {"event_name": "pings.undocumented"}), "docstring"),
        (
            type("Zero", (Event,), {"__doc__": "x", "event_name": "pings.z", "event_version": 0}),
            "event_version",
        ),
    ],
)
def test_bad_event_declarations_fail_at_start(event, message):
    config = parse_plugins_document({"modules": {"enabled": ["pings"]}}, path=None, environ={})
    plugin = make_plugin("pings", events=[event])

    with pytest.raises(ConfigError, match=message):
        Kernel.load(Settings(), config=config, plugins={"pings": plugin})


async def test_the_inbox_tells_a_second_delivery_of_one_event(app_for):
    app = await app_for(Recorder())
    event_id = uuid.uuid4()

    async def deliver() -> bool:
        from core.events.event import Envelope

        async with kernel_of(app).database.unit_of_work() as uow:
            envelope = Envelope(event_id, "pings.pinged.v1", "pings", None, "{}")  # type: ignore[arg-type]
            return await first_delivery(Delivery(Pinged(number=1), envelope, uow, "pongs.record"))

    assert await deliver() is True
    assert await deliver() is False


async def test_two_dispatchers_deliver_each_publication_exactly_once(
    mosaic_app, mosaic_database_url
):
    if not is_postgres(mosaic_database_url):
        pytest.skip("several dispatchers race only on PostgreSQL (SKIP LOCKED)")
    recorder = Recorder()
    env = {"events_dispatch": False}
    first = await mosaic_app(plugins(recorder), env=env)
    second = await mosaic_app(plugins(recorder), env=env)
    await publish(first, *range(1000))

    await asyncio.gather(kernel_of(first).dispatcher.drain(), kernel_of(second).dispatcher.drain())

    assert Counter(recorder.received) == Counter(range(1000))
    async with kernel_of(first).database.unit_of_work() as uow:
        incomplete = await uow.session.scalar(
            select(func.count()).select_from(Publication).where(Publication.completed_at.is_(None))
        )
    assert incomplete == 0


async def test_metrics_count_published_delivered_failed_and_incomplete(app_for, mosaic_client):
    app = await app_for(Recorder(failures=1))
    client = await mosaic_client(app)
    await publish(app, 1, 2)

    waiting = (await client.get("/metrics")).text
    await kernel_of(app).dispatcher.drain()
    await asyncio.sleep(0.01)
    await kernel_of(app).dispatcher.drain()
    done = (await client.get("/metrics")).text

    assert 'mosaic_events_published_total{type="pings.pinged.v1"} 2.0' in waiting
    assert "mosaic_events_incomplete_publications 2.0" in waiting
    assert 'mosaic_events_delivered_total{listener="pongs.record"} 2.0' in done
    assert 'mosaic_events_failed_total{listener="pongs.record"} 1.0' in done
    assert "mosaic_events_incomplete_publications 0.0" in done
    assert 'mosaic_events_delivery_lag_seconds_count{listener="pongs.record"} 2.0' in done


async def test_publishing_adds_at_most_one_statement_per_listener(mosaic_app):
    from core.testing.statements import count_statements

    second = Recorder()
    both = plugins(Recorder())
    both["echoes"] = make_plugin(
        "echoes",
        depends_on=["pings"],
        listeners=[Listener(Pinged, second, name="echoes.record")],
    )
    app = await mosaic_app(both, env={"events_dispatch": False})

    with count_statements(kernel_of(app).database.engine) as statements:
        await publish(app, 1)

    inserts = [s for s in statements.statements if "core_event_publications" in s]
    assert 1 <= len(inserts) <= 2  # two listeners: at most one INSERT each (here, one for both)
    assert len(statements) <= 2
