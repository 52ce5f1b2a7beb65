"""Queries of the users module."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    cast,
    delete,
    false,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import AnyRow
from modules.users.cursor import Position
from modules.users.models import AccountToken, User


async def get(session: AsyncSession, *, user_id: uuid.UUID) -> User | None:
    """Returns the account with this id (one SELECT by primary key, none if already loaded)."""
    return await session.get(User, user_id)


async def by_email(session: AsyncSession, *, email: str) -> User | None:
    """Returns the account with this (normalized) email."""
    return await session.scalar(select(User).where(User.email == email))


async def email_exists(session: AsyncSession, *, email: str) -> bool:
    """Returns whether an account already has this (normalized) email."""
    found = await session.scalar(select(User.id).where(User.email == email))
    return found is not None


# The columns of an account's answer (``UserRead``), under its field names.
ANSWER_COLUMNS = (
    User.id,
    User.email,
    User.display_name,
    User.roles,
    User.is_active,
    User.email_verified_at.is_not(None).label("email_verified"),
    User.created_at,
    User.updated_at,
)


async def answer_page(
    session: AsyncSession,
    *,
    after: Position | None,
    limit: int,
    email_contains: str | None = None,
    role: str | None = None,
    is_active: bool | None = None,
) -> Sequence[AnyRow]:
    """Returns up to ``limit`` accounts after ``after``, oldest first, matching every filter, as
    the answer's columns of each (no entity is loaded)."""
    query = select(*ANSWER_COLUMNS).order_by(User.created_at, User.id).limit(limit)
    if after is not None:
        query = query.where(
            or_(
                User.created_at > after.created_at,
                and_(User.created_at == after.created_at, User.id > after.id),
            )
        )
    if email_contains:
        # Emails are stored lower-cased, so lowering the needle makes the match case-insensitive.
        query = query.where(User.email.contains(email_contains.lower(), autoescape=True))
    if role is not None:
        query = query.where(_has_any_role((role,)))
    if is_active is not None:
        query = query.where(User.is_active == is_active)
    return (await session.execute(query)).all()


async def lock_administrators(session: AsyncSession, *, roles: Iterable[str]) -> None:
    """Locks every active account holding one of ``roles`` until the transaction ends, so changes
    to administrators are made one at a time (PostgreSQL; SQLite has one writer anyway)."""
    query = select(User.id).where(User.is_active, _has_any_role(roles)).with_for_update()
    await session.execute(query)


async def count_active_with_roles(session: AsyncSession, *, roles: Iterable[str]) -> int:
    """Returns how many active accounts hold at least one of ``roles``."""
    query = select(func.count()).select_from(User).where(User.is_active, _has_any_role(roles))
    return int(await session.scalar(query) or 0)


def _has_any_role(roles: Iterable[str]) -> ColumnElement[bool]:
    # The JSON list as text holds each role JSON-quoted, on SQLite and PostgreSQL alike.
    as_text = cast(User.roles, String)
    return or_(false(), *(as_text.contains(json.dumps(role), autoescape=True) for role in roles))


async def use_token(
    session: AsyncSession, *, token_hash: str, purpose: str, now: datetime
) -> tuple[uuid.UUID, str] | None:
    """Marks the live token with this hash and purpose used; returns its account id and email,
    or ``None`` when no unused, unexpired token matched. One conditional UPDATE, so of
    concurrent uses exactly one matches (PostgreSQL re-checks the condition after the winner's
    row lock; SQLite has one writer)."""
    query = (
        update(AccountToken)
        .where(
            AccountToken.token_hash == token_hash,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
            AccountToken.expires_at > now,
        )
        .values(used_at=now)
        .returning(AccountToken.user_id, AccountToken.email)
    )
    row = (await session.execute(query)).one_or_none()
    return (row[0], row[1]) if row is not None else None


async def retire_tokens(
    session: AsyncSession, *, user_id: uuid.UUID, purpose: str, now: datetime
) -> None:
    """Marks every unused token of the account for ``purpose`` used."""
    query = (
        update(AccountToken)
        .where(
            AccountToken.user_id == user_id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    await session.execute(query)


async def prune_tokens(session: AsyncSession, *, now: datetime) -> int:
    """Deletes the tokens that can never be used again (used or expired); returns how many."""
    query = delete(AccountToken).where(
        or_(AccountToken.used_at.is_not(None), AccountToken.expires_at <= now)
    )
    result = await session.execute(query)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
