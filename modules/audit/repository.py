"""Queries of the audit module."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from modules.audit.models import Entry


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ended, in the listing's order (newest ``occurred_at`` first, then id)."""

    occurred_at: datetime
    id: int


@dataclass(frozen=True, slots=True)
class EntryFilter:
    """The listing's filters; ``None`` means any."""

    actor: str | None = None
    module: str | None = None
    event_type: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def page(
    session: AsyncSession, *, where: EntryFilter, after: Position | None, limit: int
) -> Sequence[Entry]:
    """Returns up to ``limit`` entries after ``after``, newest first, matching ``where``."""
    query = select(Entry).order_by(Entry.occurred_at.desc(), Entry.id.desc()).limit(limit)
    if after is not None:
        query = query.where(
            or_(
                Entry.occurred_at < after.occurred_at,
                and_(Entry.occurred_at == after.occurred_at, Entry.id < after.id),
            )
        )
    if where.actor is not None:
        query = query.where(Entry.actor == where.actor)
    if where.module is not None:
        query = query.where(Entry.module == where.module)
    if where.event_type is not None:
        query = query.where(Entry.event_type == where.event_type)
    if where.since is not None:
        query = query.where(Entry.occurred_at >= where.since)
    if where.until is not None:
        query = query.where(Entry.occurred_at < where.until)
    return (await session.scalars(query)).all()
