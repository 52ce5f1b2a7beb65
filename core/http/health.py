"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

import logging
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel

from core.errors.kernel_errors import ServiceUnavailable
from core.errors.openapi import raises

logger = logging.getLogger("mosaic.health")
router = APIRouter(prefix="/health", tags=["health"])


class Health(BaseModel):
    """The service's state; ``checks`` says which dependency is ready (readiness only)."""

    status: Literal["ok"]
    checks: dict[str, Literal["ok"]] = {}


@router.get("/live", response_model=Health, summary="Is the process up")
async def live() -> Health:
    """Answers as long as the process serves requests; it touches no dependency."""
    return Health(status="ok")


@router.get("/ready", response_model=Health, summary="Can the service take traffic")
@raises(ServiceUnavailable)
async def ready(request: Request) -> Health:
    """Answers 200 when the database is reachable and every enabled module's migrations are at
    their head, 503 otherwise."""
    # Imported here: alembic takes longer to import than the rest of a worker's startup needs.
    from core.migrations.branches import Branches

    kernel = request.app.state.kernel
    try:
        async with kernel.database.engine.connect() as connection:
            pending = await connection.run_sync(Branches.of(kernel).pending)
    except Exception:
        logger.exception("readiness: database unreachable")
        raise ServiceUnavailable("The database is unreachable.") from None
    if pending:
        raise ServiceUnavailable(
            f"Migrations are not at their head for: {', '.join(pending)}; run 'mosaic db upgrade'."
        )
    return Health(status="ok", checks={"database": "ok", "migrations": "ok"})
