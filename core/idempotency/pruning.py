"""The kernel's housekeeping of idempotency keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.config.settings import Settings
from core.db.uow import UnitOfWork
from core.idempotency import records


async def prune_idempotency_keys(uow: UnitOfWork, settings: Settings) -> int:
    """Removes the keys older than ``MOSAIC_IDEMPOTENCY_RETENTION_HOURS``; returns how many."""
    hours = settings.idempotency_retention_hours
    return await records.prune(uow.session, before=datetime.now(UTC) - timedelta(hours=hours))
