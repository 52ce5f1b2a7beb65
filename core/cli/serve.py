"""``mosaic serve``."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from types import FrameType
from typing import cast

import click
import uvicorn
from sqlalchemy.exc import DBAPIError

from core.config.errors import ConfigError
from core.config.settings import Settings
from core.http.head_limits import BoundedHttpToolsProtocol, HeadLimits
from core.kernel.commands import pass_kernel
from core.kernel.kernel import Kernel
from core.observability.logging import configure_logging, uvicorn_log_config
from core.observability.metrics import MULTIPROCESS_ENV

logger = logging.getLogger("mosaic")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (use PostgreSQL when more than one).",
)
@pass_kernel
def serve_command(kernel: Kernel, host: str, port: int, workers: int) -> None:
    """Serve the API of the enabled modules.

    SIGTERM stops accepting connections, lets the requests in flight finish (at most
    MOSAIC_SHUTDOWN_TIMEOUT seconds), then exits 0. A request head larger than
    MOSAIC_MAX_HEADER_SIZE bytes, or with more than MOSAIC_MAX_HEADERS headers, gets 431.
    """
    # The kernel came loaded, so a bad configuration failed before any worker is forked.
    settings = kernel.settings
    configure_logging(settings)
    _check_migrations(kernel)
    signal.signal(signal.SIGTERM, _stopped)
    with metrics_shared_by(workers if settings.metrics_enabled else 1):
        uvicorn.run(
            "core.app:create_app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            http=_protocol(settings),
            # The application believes X-Forwarded-For from MOSAIC_TRUSTED_PROXIES only
            # (core.http.proxies), however it is served. uvicorn's own reading would rewrite the
            # address first, trusting FORWARDED_ALLOW_IPS (or loopback) with a client's header.
            proxy_headers=False,
            timeout_graceful_shutdown=settings.shutdown_timeout,
            # The application logs each request itself, with its route, user and request id.
            access_log=False,
            log_config=uvicorn_log_config(settings),
        )


def _check_migrations(kernel: Kernel) -> None:
    """Says which enabled modules' migrations are pending: a warning in development, a refusal
    in production unless ``MOSAIC_ALLOW_PENDING_MIGRATIONS`` is set. A database that cannot be
    reached yet is no reason not to start (readiness reports it)."""
    # alembic: only the serving parent imports it
    from core.alembic_branches.branches import Branches

    async def pending() -> list[str] | None:
        try:
            async with kernel.database.engine.connect() as connection:
                return await connection.run_sync(Branches.of(kernel).pending)
        except (OSError, DBAPIError):
            return None
        finally:
            await kernel.database.dispose()

    modules = asyncio.run(pending())
    if modules is None:
        logger.warning("the database cannot be reached to check migrations")
        return
    if not modules:
        return
    message = (
        f"migrations are pending for {', '.join(modules)}: run 'mosaic db upgrade' "
        "(until then their routes answer 503 core.migrations_pending)"
    )
    settings = kernel.settings
    if settings.env == "production" and not settings.allow_pending_migrations:
        raise ConfigError(f"{message}; or set MOSAIC_ALLOW_PENDING_MIGRATIONS=true to start anyway")
    logger.warning("%s", message)


def _protocol(settings: Settings) -> type[asyncio.Protocol]:
    """The HTTP protocol with the configured head limits (picklable, for spawned workers)."""
    limits = HeadLimits(size=settings.max_header_size, count=settings.max_headers)
    return cast("type[asyncio.Protocol]", partial(BoundedHttpToolsProtocol, limits=limits))


def _stopped(_signal: int, _frame: FrameType | None) -> None:
    """Ends the process with status 0 once uvicorn has shut down gracefully on SIGTERM.

    uvicorn handles SIGTERM itself while it serves, then raises it again so the process ends
    "by the signal"; by then every request was answered, so the stop is reported as a success.
    """
    sys.exit(0)


@contextmanager
def metrics_shared_by(workers: int) -> Iterator[None]:
    """Gives several workers a fresh ``PROMETHEUS_MULTIPROC_DIR`` for the life of the server.

    prometheus-client's multiprocess mode needs a directory that starts empty; one set by the
    operator is used as it is (the operator empties it between runs).
    """
    if workers == 1 or os.environ.get(MULTIPROCESS_ENV):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="mosaic-metrics-") as directory:
        # Workers inherit the environment, and read it when they import prometheus-client.
        os.environ[MULTIPROCESS_ENV] = directory
        try:
            yield
        finally:
            del os.environ[MULTIPROCESS_ENV]
