"""Queries on the idempotency keys; none of them commits (the caller's transaction does)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Table, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from core.idempotency.models import IdempotencyRecord

IN_FLIGHT = "in_flight"
COMMITTED = "committed"
COMPLETED = "completed"
KEYS = cast(Table, IdempotencyRecord.__table__)


def _rows(result: Any) -> int:
    return cast(CursorResult[Any], result).rowcount


async def insert_claim(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Inserts a claim unless the caller already used its key; returns whether it did.

    ``ON CONFLICT DO NOTHING`` makes the unique (scope, key) pair decide between concurrent
    claims without an error, so exactly one of them wins.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    query = insert(KEYS).values(**values).on_conflict_do_nothing()
    return _rows(await session.execute(query)) == 1


async def find(session: AsyncSession, *, scope: str, key: str) -> Any:
    """Returns the row of ``key`` for ``scope`` (every column but ``id``'s mapped object)."""
    query = select(KEYS).where(KEYS.c.scope == scope, KEYS.c.key == key)
    return (await session.execute(query)).one_or_none()


async def take_over(
    session: AsyncSession,
    *,
    record_id: uuid.UUID,
    token: str,
    new_token: str,
    now: datetime,
    lease_until: datetime,
) -> bool:
    """Leases an abandoned claim (in flight, lease run out) to ``new_token``; returns whether
    it did (``False``: another request took it first)."""
    query = (
        update(KEYS)
        .where(
            KEYS.c.id == record_id,
            KEYS.c.token == token,
            KEYS.c.state == IN_FLIGHT,
            KEYS.c.lease_until < now,
        )
        .values(token=new_token, lease_until=lease_until)
    )
    return _rows(await session.execute(query)) == 1


async def mark_committed(session: AsyncSession, *, record_id: uuid.UUID, token: str) -> bool:
    """Marks the claim committed, in the transaction of the request's writes; ``False`` when
    the claim is no longer this request's (its lease ran out and another request took it)."""
    query = (
        update(KEYS)
        .where(KEYS.c.id == record_id, KEYS.c.token == token, KEYS.c.state == IN_FLIGHT)
        .values(state=COMMITTED)
    )
    return _rows(await session.execute(query)) == 1


async def complete(
    session: AsyncSession,
    *,
    record_id: uuid.UUID,
    token: str,
    status: int,
    headers: str,
    body: bytes,
) -> bool:
    """Stores the response of a committed claim; returns whether the claim was committed."""
    query = (
        update(KEYS)
        .where(KEYS.c.id == record_id, KEYS.c.token == token, KEYS.c.state == COMMITTED)
        .values(state=COMPLETED, status=status, headers=headers, body=body)
    )
    return _rows(await session.execute(query)) == 1


async def release(session: AsyncSession, *, record_id: uuid.UUID, token: str) -> None:
    """Deletes a claim whose request did not commit, so its key can be sent again."""
    query = delete(KEYS).where(
        KEYS.c.id == record_id, KEYS.c.token == token, KEYS.c.state == IN_FLIGHT
    )
    await session.execute(query)


async def prune(session: AsyncSession, *, before: datetime) -> int:
    """Deletes the keys created before ``before``; returns how many."""
    return _rows(await session.execute(delete(KEYS).where(KEYS.c.created_at < before)))
