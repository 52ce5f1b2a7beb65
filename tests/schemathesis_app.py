"""The application Schemathesis tests, over a migrated throwaway database, called in process."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from fastapi import FastAPI
from starlette.types import Message, Receive, Scope, Send

from core.alembic_branches import operations
from core.app import build_app
from core.cli import cli
from core.config.plugins_file import parse_plugins_document
from core.config.settings import Settings
from core.db import Database
from core.kernel.kernel import Kernel
from core.testing.databases import is_postgres, reset_postgres_schema
from core.testing.plugin import TEST_DATABASE_ENV

# Never connected to: building an application and its OpenAPI document touches no database.
_NO_DATABASE = "sqlite+aiosqlite:///:memory:"
#: The seed of a run's Schemathesis data; set it to replay a run. `tests/conftest.py` draws one
#: when it is not set, before pytest-xdist starts its workers, so every worker has the same.
SEED_ENV = "MOSAIC_SCHEMATHESIS_SEED"


def schemathesis_seed() -> int:
    """The run's Schemathesis seed, from ``MOSAIC_SCHEMATHESIS_SEED``."""
    return int(os.environ[SEED_ENV])


def database_kind() -> str:
    """The backend the tests run on: ``postgresql`` when ``MOSAIC_TEST_DATABASE_URL`` names one."""
    url = os.environ.get(TEST_DATABASE_ENV, "")
    return "postgresql" if url and is_postgres(url) else "sqlite"


def load_kernel(database_url: str, plugins: Mapping[str, object]) -> Kernel:
    """Returns the kernel with all of ``plugins`` enabled, configured for ``database_url``."""
    config = parse_plugins_document({"modules": {"enabled": list(plugins)}}, path=None, environ={})
    return Kernel.load(Settings(database_url=database_url), config=config, plugins=plugins)


def openapi_document(plugins: Mapping[str, object]) -> dict[str, Any]:
    """The OpenAPI document of the application with all of ``plugins`` enabled."""
    return build_app(load_kernel(_NO_DATABASE, plugins)).openapi()


def build_migrated_app(database_url: str, plugins: Mapping[str, object]) -> FastAPI:
    """Returns the application with all of ``plugins`` enabled, over ``database_url`` emptied and
    migrated to every module's head.

    The migration runs in an event loop and with an engine of its own, disposed before returning:
    the application is served from Schemathesis's event loop, where its own engine connects.
    """
    kernel = load_kernel(database_url, plugins)
    asyncio.run(_migrate(kernel))
    return build_app(kernel)


async def _migrate(kernel: Kernel) -> None:
    database = Database(kernel.settings)
    try:
        if is_postgres(kernel.settings.database_url):
            await reset_postgres_schema(database.engine)
        async with database.engine.begin() as connection:
            await connection.run_sync(lambda sync: operations.upgrade(kernel, sync))
    finally:
        await database.dispose()


ADMIN_EMAIL = "schemathesis-admin@example.com"
ADMIN_PASSWORD = "schemathesis admin password"


def create_administrator(database_url: str, plugins: Mapping[str, object], workdir: Path) -> None:
    """Creates the account ``ADMIN_EMAIL`` with the role ``admin`` in ``database_url``, as an
    operator does: ``mosaic users create-admin`` over a plugins.toml enabling all of ``plugins``."""
    plugins_file = workdir / "plugins.toml"
    plugins_file.write_text(f"[modules]\nenabled = {json.dumps(list(plugins))}\n")
    result = CliRunner().invoke(
        cli,
        ["users", "create-admin", "--email", ADMIN_EMAIL, "--password-stdin"],
        input=f"{ADMIN_PASSWORD}\n",
        env={"MOSAIC_DATABASE_URL": database_url, "MOSAIC_PLUGINS_FILE": str(plugins_file)},
    )
    assert result.exit_code == 0, result.output


class AppUnderTest:
    """An ASGI application that forwards everything to the application a test bound.

    Schemathesis needs its application when it collects the tests, before any database exists;
    the application a test binds is built over that test's database. Schemathesis starts the
    lifespan before the first request and its pytest plugin ends it when the test ends, before
    fixtures are torn down. Both are checked: a request outside the lifespan is refused, and
    :meth:`bound` fails if the lifespan is still running when the test is over.
    """

    def __init__(self) -> None:
        self._app: FastAPI | None = None
        self._started = 0
        self._stopped = 0

    @contextmanager
    def bound(self, app: FastAPI) -> Iterator[None]:
        """Forwards to ``app`` for the duration of the block."""
        assert self._app is None, "an application is already bound"
        self._app, self._started, self._stopped = app, 0, 0
        try:
            yield
        finally:
            self._app = None
        assert self._started == self._stopped, "the application's lifespan did not end"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self._app
        if app is None:
            raise RuntimeError("no application is bound: use the app_under_test fixture")
        if scope["type"] == "lifespan":
            await app(scope, receive, self._watch_lifespan(send))
            return
        if self._started == self._stopped:
            raise RuntimeError("a request reached the application outside its lifespan")
        await app(scope, receive, send)

    def _watch_lifespan(self, send: Send) -> Send:
        async def watch(message: Message) -> None:
            if message["type"] == "lifespan.startup.complete":
                self._started += 1
            elif message["type"] == "lifespan.shutdown.complete":
                self._stopped += 1
            await send(message)

        return watch


APP_UNDER_TEST = AppUnderTest()
