"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel

from core.errors.kernel_errors import ServiceUnavailable
from core.errors.openapi import raises
from core.events.broker import AmqpBroker
from core.kernel.access import kernel_of

logger = logging.getLogger("mosaic.health")
router = APIRouter(prefix="/health", tags=["health"])
# Seconds: how long a probe waits for a dependency, and how long a client is asked to wait.
PROBE_TIMEOUT = 2.0
RETRY_AFTER = 5


class Health(BaseModel):
    """The service's state; ``checks`` says which dependency is ready (readiness only)."""

    status: Literal["ok"]
    checks: dict[str, Literal["ok"]] = {}


@router.get("/live", response_model=Health, summary="Is the process up")
async def read_liveness() -> Health:
    """Answers as long as the process serves requests; it touches no dependency."""
    return Health(status="ok")


@router.get("/ready", response_model=Health, summary="Can the service take traffic")
@raises(ServiceUnavailable)
async def read_readiness(request: Request) -> Health:
    """Answers 200 when every dependency the service needs is reachable (the database, Redis
    when ``MOSAIC_REDIS_URL`` is set, the message broker when ``MOSAIC_AMQP_URL`` is set) and
    every enabled module's migrations are at their head; 503 with ``Retry-After`` otherwise,
    naming what is not ready."""
    # Imported here: alembic takes longer to import than the rest of a worker's startup needs.
    from core.alembic_branches.branches import Branches

    kernel = kernel_of(request)
    checks: dict[str, Literal["ok"]] = {}
    try:
        async with kernel.database.engine.connect() as connection:
            pending = await connection.run_sync(Branches.of(kernel).pending)
    except Exception:
        logger.exception("readiness: database unreachable")
        raise _not_ready("The database is unreachable.") from None
    if pending:
        raise _not_ready(
            f"Migrations are not at their head for: {', '.join(pending)}; run 'mosaic db upgrade'."
        )
    checks.update(database="ok", migrations="ok")
    if kernel.settings.redis_url:
        if not await _redis_answers(kernel.settings.redis_url):
            raise _not_ready("Redis (MOSAIC_REDIS_URL) is unreachable.")
        checks["redis"] = "ok"
    if kernel.broker is not None:
        # The worker's own connection: a probe opens none of its own while that one is up.
        if not await _broker_answers(kernel.broker):
            raise _not_ready("The message broker (MOSAIC_AMQP_URL) is unreachable.")
        checks["broker"] = "ok"
    return Health(status="ok", checks=checks)


def _not_ready(detail: str) -> ServiceUnavailable:
    return ServiceUnavailable(detail, retry_after=RETRY_AFTER)


async def _broker_answers(broker: AmqpBroker) -> bool:
    try:
        async with asyncio.timeout(PROBE_TIMEOUT):
            return await broker.reachable()
    except TimeoutError:
        logger.warning("readiness: the message broker did not answer in %ss", PROBE_TIMEOUT)
        return False


async def _redis_answers(url: str) -> bool:
    from redis.asyncio import Redis  # only deployments that configure Redis pay for the import
    from redis.exceptions import RedisError

    client = Redis.from_url(url, socket_connect_timeout=PROBE_TIMEOUT, socket_timeout=PROBE_TIMEOUT)
    try:
        return bool(await client.ping())
    except (RedisError, OSError):
        logger.exception("readiness: Redis unreachable")
        return False
    finally:
        await client.aclose()
