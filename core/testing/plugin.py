"""The pytest plugin module teams test with (loaded automatically once Mosaic is installed).

Fixtures:

- ``mosaic_database_url``: a throwaway database for the test. SQLite in the test's temporary
  folder by default; when ``MOSAIC_TEST_DATABASE_URL`` names a PostgreSQL server, a database of
  its own per xdist worker, created fresh for the session.
- ``mosaic_app``: a factory building an application from chosen plugins and settings, over a
  test database emptied and then migrated with the enabled modules' Alembic branches.
- ``mosaic_client``: a factory returning an HTTP client for such an application, lifespan run,
  its requests coming from a chosen client address.
- ``mosaic_token``: a factory returning a bearer token with chosen permissions.
- ``published_events``: every event committed by the applications of the test, in order.
- ``deliver_events``: ``await deliver_events(app)`` runs the after-commit listeners of what is
  due now, in the test's own flow, and returns how many deliveries it attempted.
- ``mosaic_smtp``: a real SMTP server on the loopback (:mod:`core.testing.smtp`); an application
  built with ``env={"smtp_url": mosaic_smtp.url}`` sends its mails there on delivery.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import AsyncExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from fastapi import FastAPI

from core.alembic_branches import operations
from core.app import build_app
from core.config.plugins_file import parse_plugins_document
from core.config.settings import Settings
from core.events.event import Envelope
from core.kernel.access import kernel_of
from core.kernel.discovery import discover_plugins
from core.kernel.kernel import Kernel
from core.kernel.loader import load_modules
from core.testing.client import DEFAULT_CLIENT, app_client
from core.testing.databases import (
    drop_postgres_database,
    is_postgres,
    recreate_postgres_database,
    reset_postgres_schema,
)

if TYPE_CHECKING:
    from core.testing.smtp import SmtpServer

TEST_DATABASE_ENV = "MOSAIC_TEST_DATABASE_URL"

AppFactory = Callable[..., Awaitable[FastAPI]]
_KERNELS = pytest.StashKey[list[Kernel]]()
_RECORDERS = pytest.StashKey[list["PublishedEvents"]]()


class PublishedEvents(list[Envelope]):
    """The envelopes of the events committed during a test (a rolled-back one never shows)."""

    @property
    def types(self) -> list[str]:
        """Their versioned types, in order: ``["users.password_changed.v1", …]``."""
        return [envelope.type for envelope in self]

    def payloads(self, event_type: str) -> list[dict[str, Any]]:
        """The payloads of the events of ``event_type``, as JSON values."""
        return [json.loads(envelope.payload) for envelope in self if envelope.type == event_type]


ClientFactory = Callable[..., Awaitable[httpx.AsyncClient]]
TokenFactory = Callable[..., Awaitable[str]]


@pytest.fixture(scope="session")
def mosaic_server_database(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """The per-worker PostgreSQL database, or ``None`` when tests run on SQLite."""
    url = os.environ.get(TEST_DATABASE_ENV, "")
    if not url or not is_postgres(url):
        yield None
        return
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    base = url.rsplit("/", 1)[-1] or "mosaic_test"
    database = asyncio.run(recreate_postgres_database(url, f"{base}_{worker}"))
    yield database
    asyncio.run(drop_postgres_database(database))


@pytest.fixture
def mosaic_database_url(mosaic_server_database: str | None, tmp_path: Path) -> str:
    """The database URL this test runs against."""
    return mosaic_server_database or f"sqlite+aiosqlite:///{tmp_path / 'mosaic.db'}"


@pytest.fixture
async def mosaic_app(
    mosaic_database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[AppFactory]:
    """Returns ``await mosaic_app(plugins, enabled=..., settings=..., env=...)``.

    ``plugins`` maps module names to plugin objects (default: every installed module);
    ``enabled`` defaults to all of them, and the modules they depend on are added; ``settings``
    holds ``[modules.<name>]`` sections; ``env`` overrides kernel settings (events are delivered
    only by ``deliver_events`` unless ``env`` sets ``events_dispatch``). The enabled modules'
    branches are migrated to their heads.
    """
    async with AsyncExitStack() as stack:

        async def factory(
            plugins: Mapping[str, object] | None = None,
            *,
            enabled: Sequence[str] | None = None,
            settings: Mapping[str, Mapping[str, Any]] | None = None,
            env: Mapping[str, Any] | None = None,
        ) -> FastAPI:
            source = plugins if plugins is not None else discover_plugins()
            chosen = with_dependencies(source, enabled if enabled is not None else list(source))
            document = {
                "modules": {
                    "enabled": chosen,
                    **{name: dict(values) for name, values in (settings or {}).items()},
                }
            }
            config = parse_plugins_document(document, path=tmp_path / "plugins.toml", environ={})
            # No background delivery or jobs unless asked: a test delivers with
            # ``deliver_events`` (and runs a job with ``kernel.jobs.run_once``), so what it
            # asserts and the statements it counts are its own.
            defaults = {
                "database_url": mosaic_database_url,
                "events_dispatch": False,
                "jobs_enabled": False,
            }
            kernel_settings = Settings(**{**defaults, **dict(env or {})})
            kernel = Kernel.load(kernel_settings, config=config, plugins=plugins)
            request.node.stash.setdefault(_KERNELS, []).append(kernel)
            if kernel.broker is not None:
                stack.push_async_callback(kernel.broker.close)
            for recorder in request.node.stash.get(_RECORDERS, []):
                kernel.publisher.on_commit.append(recorder.extend)
            # A test that points the app elsewhere (an unreachable server) gets no set-up.
            if kernel.settings.database_url == mosaic_database_url:
                await _migrate(kernel, stack)
            else:
                stack.push_async_callback(kernel.database.dispose)
            return build_app(kernel)

        yield factory


@pytest.fixture
def mosaic_token() -> TokenFactory:
    """Returns ``await mosaic_token(app, *permissions, subject=...)``: a bearer token.

    The app's authenticator mints it: the ``auth`` module's when enabled, or the in-memory one of
    :func:`core.testing.auth.static_auth_plugin`.
    """

    async def factory(app: FastAPI, *permissions: str, subject: str = "test-user") -> str:
        authenticator = kernel_of(app).authenticator
        if authenticator is None:
            raise LookupError("enable the auth module or core.testing.auth.static_auth_plugin()")
        token: str = await authenticator.mint(subject, permissions)
        return token

    return factory


@pytest.fixture
def published_events(request: pytest.FixtureRequest) -> PublishedEvents:
    """Every event committed by the applications this test builds (before or after asking)."""
    recorder = PublishedEvents()
    request.node.stash.setdefault(_RECORDERS, []).append(recorder)
    for kernel in request.node.stash.get(_KERNELS, []):
        kernel.publisher.on_commit.append(recorder.extend)
    return recorder


@pytest.fixture
def deliver_events() -> Callable[[FastAPI], Awaitable[int]]:
    """Returns ``await deliver_events(app)``: delivers every publication due now."""

    async def deliver(app: FastAPI) -> int:
        kernel = kernel_of(app)
        return await kernel.dispatcher.drain()

    return deliver


@pytest.fixture
async def mosaic_smtp() -> AsyncIterator[SmtpServer]:
    """A real SMTP server on ``127.0.0.1`` (a free port) collecting what arrives in
    ``.messages``; stopped after the test."""
    # Imported here: aiosmtpd is a test dependency, and only tests that send mail need it.
    from core.testing.smtp import SmtpServer

    server = SmtpServer()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def mosaic_client() -> AsyncIterator[ClientFactory]:
    """Returns ``await mosaic_client(app, client=(host, port))``: a client with the app's
    lifespan running, whose requests come from ``client`` (default ``127.0.0.1``)."""
    async with AsyncExitStack() as stack:

        async def factory(
            app: FastAPI, *, client: tuple[str, int] = DEFAULT_CLIENT
        ) -> httpx.AsyncClient:
            return await stack.enter_async_context(app_client(app, client=client))

        yield factory


def with_dependencies(plugins: Mapping[str, object], names: Sequence[str]) -> list[str]:
    """Returns ``names`` with every module they depend on, dependencies first."""
    _, available = load_modules(dict(plugins))
    order: list[str] = []

    def visit(name: str) -> None:
        if name in order or name not in available:
            return
        for dependency in available[name].info.depends_on:
            visit(dependency)
        order.append(name)

    for name in names:
        visit(name)
    return order + [name for name in names if name not in order]


async def _migrate(kernel: Kernel, stack: AsyncExitStack) -> None:
    """Empties the test database, then migrates the enabled modules with their own branches."""
    engine = kernel.database.engine
    stack.push_async_callback(engine.dispose)
    if is_postgres(kernel.settings.database_url):
        await reset_postgres_schema(engine)
    if not any(module.migrations for module in kernel.modules):
        return
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: operations.upgrade(kernel, sync))
