"""Queries on login sessions."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import read_rows
from modules.auth.models import LoginSession


async def live_session(
    session: AsyncSession, *, session_id: uuid.UUID, now: datetime
) -> LoginSession | None:
    """Returns the session if it is neither revoked nor expired."""
    query = select(LoginSession).where(*_IS_LIVE)
    params = {"session_id": session_id, "now": now}
    return (await session.scalars(query, params)).one_or_none()


async def session_is_live(session: AsyncSession, *, session_id: uuid.UUID, now: datetime) -> bool:
    """Returns whether the session is neither revoked nor expired, without loading it."""
    found = await read_rows(session, _LIVE, {"session_id": session_id, "now": now})
    return found.first() is not None


# A session that is neither revoked nor expired, with `session_id` and `now` as parameters.
_IS_LIVE = (
    LoginSession.id == bindparam("session_id"),
    LoginSession.revoked_at.is_(None),
    LoginSession.expires_at > bindparam("now"),
)
# Checked on every authenticated request: built once, so SQLAlchemy neither builds nor
# cache-keys it again, and read as a column, not as an entity.
_LIVE = select(LoginSession.id).where(*_IS_LIVE)


async def rotate(
    session: AsyncSession,
    *,
    session_id: uuid.UUID,
    user_id: uuid.UUID,
    presented_jti: str,
    new_jti: str,
    now: datetime,
) -> str | None:
    """Replaces the live session's refresh jti if it is still ``presented_jti``; returns the
    session's scope, or ``None`` when nothing matched (ended session, or a jti already used)."""
    query = (
        update(LoginSession)
        .where(
            LoginSession.id == session_id,
            LoginSession.user_id == user_id,
            LoginSession.refresh_jti == presented_jti,
            LoginSession.revoked_at.is_(None),
            LoginSession.expires_at > now,
        )
        .values(refresh_jti=new_jti)
        .returning(LoginSession.scope)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def prune(session: AsyncSession, *, now: datetime) -> int:
    """Deletes the sessions that can never be used again (expired or revoked); returns how many."""
    query = delete(LoginSession).where(
        or_(LoginSession.expires_at <= now, LoginSession.revoked_at.is_not(None))
    )
    result = await session.execute(query)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def revoke(
    session: AsyncSession,
    *,
    user_id: uuid.UUID | None = None,
    session_id: uuid.UUID | None = None,
    keep: uuid.UUID | None = None,
    reason: str,
    now: datetime,
) -> None:
    """Revokes one session, or every live session of a user except ``keep``."""
    query = update(LoginSession).where(LoginSession.revoked_at.is_(None))
    if session_id is not None:
        query = query.where(LoginSession.id == session_id)
    if user_id is not None:
        query = query.where(LoginSession.user_id == user_id)
    if keep is not None:
        query = query.where(LoginSession.id != keep)
    await session.execute(query.values(revoked_at=now, revoked_reason=reason))
