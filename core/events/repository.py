"""Queries on the publication registry; none of them commits."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.events.models import Publication

STATUSES = ("incomplete", "abandoned", "completed")


def _incomplete() -> tuple[ColumnElement[bool], ...]:
    return (Publication.completed_at.is_(None), Publication.abandoned_at.is_(None))


def _due(listeners: Collection[str], now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        *_incomplete(),
        Publication.listener.in_(listeners),
        Publication.next_attempt_at <= now,
        or_(Publication.claimed_until.is_(None), Publication.claimed_until < now),
    )


async def any_due(session: AsyncSession, *, listeners: Collection[str], now: datetime) -> bool:
    """Whether a publication of ``listeners`` is due: a read, so an idle poll takes no write
    lock (SQLite has one for the whole database)."""
    query = select(Publication.id).where(*_due(listeners, now)).limit(1)
    return await session.scalar(query) is not None


async def claim(
    session: AsyncSession,
    *,
    listeners: Collection[str],
    now: datetime,
    lease_until: datetime,
    token: str,
    limit: int,
) -> Sequence[Publication]:
    """Leases up to ``limit`` due publications of ``listeners`` to ``token`` and returns them.

    On PostgreSQL the candidates are locked with ``SKIP LOCKED``, so deliverers in other
    processes take other rows instead of waiting; SQLite has one writer at a time anyway. A
    lease that ran out (its deliverer died) makes the publication due again.
    """
    due = (
        select(Publication.id)
        .where(*_due(listeners, now))
        .order_by(Publication.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    query = (
        update(Publication)
        .where(Publication.id.in_(due.scalar_subquery()))
        .values(claim=token, claimed_until=lease_until, attempts=Publication.attempts + 1)
        .returning(Publication)
        .execution_options(synchronize_session=False)
    )
    return (await session.scalars(query)).all()


async def complete(
    session: AsyncSession,
    *,
    publication_id: uuid.UUID,
    token: str,
    now: datetime,
    payload: str | None = None,
) -> bool:
    """Marks the publication completed if ``token`` still holds its lease, replacing its
    payload with ``payload`` when given; returns whether it did (a lease that ran out and was
    taken over must not complete twice)."""
    values: dict[str, object] = {
        "completed_at": now,
        "claim": None,
        "claimed_until": None,
        "last_error": None,
    }
    if payload is not None:
        values["payload"] = payload
    query = (
        update(Publication)
        .where(Publication.id == publication_id, Publication.claim == token, *_incomplete())
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(query)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def fail(
    session: AsyncSession,
    *,
    publication_id: uuid.UUID,
    token: str,
    error: str,
    retry_at: datetime | None,
    now: datetime,
) -> None:
    """Records a failed attempt: due again at ``retry_at``, or abandoned when it is ``None``."""
    values: dict[str, object] = {"claim": None, "claimed_until": None, "last_error": error}
    if retry_at is None:
        values["abandoned_at"] = now
    else:
        values["next_attempt_at"] = retry_at
    await session.execute(
        update(Publication)
        .where(Publication.id == publication_id, Publication.claim == token)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def listing(
    session: AsyncSession,
    *,
    status: str | None = None,
    event_type: str | None = None,
    limit: int = 100,
) -> Sequence[Publication]:
    """Returns publications, newest first, filtered by status and event type."""
    query = select(Publication).order_by(Publication.occurred_at.desc()).limit(limit)
    if status == "incomplete":
        query = query.where(*_incomplete())
    elif status == "abandoned":
        query = query.where(Publication.abandoned_at.is_not(None))
    elif status == "completed":
        query = query.where(Publication.completed_at.is_not(None))
    if event_type is not None:
        query = query.where(Publication.event_type == event_type)
    return (await session.scalars(query)).all()


async def resubmit(
    session: AsyncSession, *, now: datetime, publication_id: uuid.UUID | None = None
) -> int:
    """Makes abandoned publications (one, or all) due now with a fresh count of attempts;
    returns how many."""
    query = (
        update(Publication)
        .where(Publication.abandoned_at.is_not(None), Publication.completed_at.is_(None))
        .values(abandoned_at=None, attempts=0, next_attempt_at=now, claim=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    if publication_id is not None:
        query = query.where(Publication.id == publication_id)
    result = await session.execute(query)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def prune(session: AsyncSession, *, before: datetime) -> int:
    """Deletes publications completed before ``before``; returns how many."""
    result = await session.execute(
        delete(Publication).where(
            Publication.completed_at.is_not(None), Publication.completed_at < before
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def incomplete_count(session: AsyncSession) -> int:
    """How many publications wait for delivery (abandoned ones excluded)."""
    query = select(func.count()).select_from(Publication).where(*_incomplete())
    return int(await session.scalar(query) or 0)
