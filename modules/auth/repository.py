"""Queries on login sessions."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from modules.auth.models import LoginSession


async def live_session(
    session: AsyncSession, *, session_id: uuid.UUID, now: datetime, for_update: bool = False
) -> LoginSession | None:
    """Returns the session if it is neither revoked nor expired."""
    query = select(LoginSession).where(
        LoginSession.id == session_id,
        LoginSession.revoked_at.is_(None),
        LoginSession.expires_at > now,
    )
    if for_update:  # Two refreshes of one session must not both rotate it.
        query = query.with_for_update()
    return (await session.scalars(query)).one_or_none()


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
