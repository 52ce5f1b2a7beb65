"""Queries of the oidc module."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from modules.oidc.models import Link, PendingSignIn


async def use_sign_in(
    session: AsyncSession, *, state_hash: str, provider: str, browser_hash: str, now: datetime
) -> bool:
    """Marks the sign-in with this state used; returns whether one was live (unused, unexpired,
    of this provider and started by this browser). One conditional UPDATE, so of concurrent
    callbacks with one state exactly one wins (PostgreSQL re-checks the condition after the
    winner's row lock; SQLite has one writer)."""
    query = (
        update(PendingSignIn)
        .where(
            PendingSignIn.state_hash == state_hash,
            PendingSignIn.provider == provider,
            PendingSignIn.browser_hash == browser_hash,
            PendingSignIn.used_at.is_(None),
            PendingSignIn.expires_at > now,
        )
        .values(used_at=now)
        .returning(PendingSignIn.state_hash)
    )
    return (await session.execute(query)).one_or_none() is not None


async def link_of(session: AsyncSession, *, provider: str, subject: str) -> Link | None:
    """Returns the link of ``subject`` at ``provider``, if that identity signed in before."""
    query = select(Link).where(Link.provider == provider, Link.subject == subject)
    return await session.scalar(query)


async def prune_sign_ins(session: AsyncSession, *, now: datetime) -> int:
    """Deletes the sign-ins that can never finish (used or expired); returns how many."""
    query = delete(PendingSignIn).where(
        or_(PendingSignIn.used_at.is_not(None), PendingSignIn.expires_at <= now)
    )
    result = await session.execute(query)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
