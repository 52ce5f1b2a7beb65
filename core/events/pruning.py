"""The kernel's housekeeping of the publication registry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.config.settings import Settings
from core.db.uow import UnitOfWork
from core.events import repository


async def prune_publications(uow: UnitOfWork, settings: Settings) -> int:
    """Removes completed publications older than ``MOSAIC_EVENTS_RETENTION_DAYS``; returns how
    many (incomplete and abandoned ones are kept until an operator acts)."""
    days = settings.events_retention_days
    return await repository.prune(uow.session, before=datetime.now(UTC) - timedelta(days=days))
