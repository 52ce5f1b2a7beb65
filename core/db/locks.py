"""Making a check and the write it allows one step, on SQLite and PostgreSQL alike.

A rule checked by reading ("this move makes no cycle") holds at commit only if nothing that
could break it is written in between. :func:`serialize` makes the transactions that could run one
at a time; :func:`lock_for_writing` is its SQLite half, for code that locks rows on PostgreSQL.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession


async def serialize(session: AsyncSession, *, key: str) -> None:
    """Waits until no other transaction holds ``key``, then holds it until this one ends.

    PostgreSQL: a transaction-level advisory lock on a number derived from ``key``; SQLite: the
    database's write lock (:func:`lock_for_writing`), which serializes every writer anyway.
    Statements after it see everything the previous holder committed.
    """
    connection = await session.connection()
    if connection.dialect.name == "sqlite":
        await lock_for_writing(session)
        return
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    await session.execute(select(func.pg_advisory_xact_lock(int.from_bytes(digest, signed=True))))


async def lock_for_writing(session: AsyncSession) -> None:
    """Makes the session's transaction the database's writer now, before it reads what it will
    change (SQLite); does nothing elsewhere (on PostgreSQL, lock the rows: ``FOR UPDATE``).

    The SQLite driver begins a transaction only at the first write, so what was read before it
    may have been changed by another writer in between. ``BEGIN IMMEDIATE`` takes the write lock
    at once (waiting up to the busy timeout), so what the transaction reads next stays as it is
    until it ends. A transaction that has already written holds the lock: nothing to do.
    """
    connection = await session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = await connection.get_raw_connection()
    if not raw.driver_connection.in_transaction:  # type: ignore[union-attr]
        await connection.exec_driver_sql("BEGIN IMMEDIATE")
