"""Opening a login session: its row, and the first token pair that proves it.

Both a password login (:mod:`modules.auth.service`) and a token minted without one
(:meth:`~modules.auth.authority.TokenAuthority.mint`) open sessions this way.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from core.db import UnitOfWork
from modules.auth.models import LoginSession
from modules.auth.schemas import TokenPair
from modules.auth.tokens import ACCESS, REFRESH, TokenCodec


async def open_session(
    uow: UnitOfWork, *, codec: TokenCodec, user_id: uuid.UUID, scope: str
) -> TokenPair:
    """Returns the tokens of a new login session for ``user_id``, signed by ``codec``."""
    now = datetime.now(UTC)
    session_id = uuid.uuid4()
    refresh = codec.issue(REFRESH, subject=str(user_id), session=str(session_id))
    uow.session.add(
        LoginSession(
            id=session_id,
            user_id=user_id,
            scope=scope,
            refresh_jti=refresh.jti,
            created_at=now,
            expires_at=now + timedelta(seconds=refresh.expires_in),
        )
    )
    await uow.session.flush()
    return token_pair(
        codec, user_id=user_id, session_id=session_id, scope=scope, refresh=refresh.token
    )


def token_pair(
    codec: TokenCodec, *, user_id: uuid.UUID, session_id: uuid.UUID, scope: str, refresh: str
) -> TokenPair:
    """Returns the answer of a login or a refresh: a new access token for the session, with
    ``scope``, and the session's current ``refresh`` token."""
    access = codec.issue(ACCESS, subject=str(user_id), session=str(session_id), scope=scope)
    return TokenPair(
        access_token=access.token,
        expires_in=access.expires_in,
        refresh_token=refresh,
        scope=scope,
    )
