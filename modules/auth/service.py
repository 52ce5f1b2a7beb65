"""Login, refresh, logout: the rules of sessions. Functions never commit; the UoW does."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from core import Delivery
from core.db import UnitOfWork
from modules.auth import repository
from modules.auth.authority import TokenAuthority
from modules.auth.errors import InvalidGrant, LoginThrottled, RefreshTokenReused
from modules.auth.schemas import TokenPair
from modules.auth.sessions import open_session, token_pair
from modules.auth.tokens import REFRESH, TokenRejected
from modules.users.api import (
    CredentialsChanged,
    PasswordChanged,
    Passwords,
    account_email,
    get_active_user,
    verify_credentials,
)

_INVALID_CREDENTIALS = "Invalid email or password."


async def login(
    uow: UnitOfWork,
    *,
    authority: TokenAuthority,
    passwords: Passwords,
    verified_only: bool = False,
    email: str,
    password: str,
    requested_scope: str | None,
    address: str,
) -> TokenPair:
    """Returns a new session's tokens. Unknown email, wrong password and inactive account give the
    same refusal; repeated failures per account or address are throttled. With
    ``verified_only``, an account whose email is not verified is refused
    (``users.email_not_verified``) once its password is right."""
    # Throttled per account: every way of writing one email counts against the same account.
    account = account_email(email) or email.strip().lower()
    throttle = authority.throttle
    # Reserved before the password is checked, so concurrent guesses cannot all slip through.
    wait = await throttle.reserve(account=account, address=address)
    if wait is not None:
        raise LoginThrottled("Too many failed logins; try again later.", retry_after=wait)
    user = await verify_credentials(
        uow.session,
        email=account,
        password=password,
        passwords=passwords,
        require_verified_email=verified_only,
    )
    if user is None:
        raise InvalidGrant(_INVALID_CREDENTIALS)
    await throttle.succeeded(account=account)
    granted = authority.kernel.permissions_for(user.roles)
    scope = granted if requested_scope is None else granted & set(requested_scope.split())
    return await open_session(
        uow, codec=authority.codec, user_id=user.id, scope=" ".join(sorted(scope))
    )


async def refresh(uow: UnitOfWork, *, authority: TokenAuthority, refresh_token: str) -> TokenPair:
    """Returns a new token pair and retires the presented refresh token.

    A refresh token presented a second time means it leaked: the whole session is revoked and
    stays revoked although the request fails (RFC 9700 §4.14.2).
    """
    try:
        claims = authority.codec.verify(refresh_token, REFRESH)
        session_id, user_id = uuid.UUID(claims["sid"]), uuid.UUID(claims["sub"])
    except (TokenRejected, ValueError):
        raise InvalidGrant("The refresh token is not valid.") from None
    now = datetime.now(UTC)
    codec = authority.codec
    rotated = codec.issue(REFRESH, subject=str(user_id), session=str(session_id))
    # One conditional UPDATE, so of two concurrent refreshes exactly one can win, on every
    # database (SQLite ignores FOR UPDATE); the loser sees the new jti and is a replay.
    scope = await repository.rotate(
        uow.session,
        session_id=session_id,
        user_id=user_id,
        presented_jti=claims["jti"],
        new_jti=rotated.jti,
        now=now,
    )
    if scope is None:
        login = await repository.live_session(uow.session, session_id=session_id, now=now)
        if login is None or login.user_id != user_id:
            raise InvalidGrant("The refresh token's session has ended.")
        await repository.revoke(uow.session, session_id=session_id, reason="refresh_reuse", now=now)
        raise RefreshTokenReused("This refresh token was already used; the session is revoked.")
    if await get_active_user(uow.session, user_id=user_id) is None:
        raise InvalidGrant("The account is inactive or deleted.")
    return token_pair(
        codec, user_id=user_id, session_id=session_id, scope=scope, refresh=rotated.token
    )


async def logout(uow: UnitOfWork, *, session_id: str) -> None:
    """Revokes the caller's session: its access and refresh tokens stop working."""
    await repository.revoke(
        uow.session, session_id=uuid.UUID(session_id), reason="logout", now=datetime.now(UTC)
    )


async def end_sessions(delivery: Delivery[CredentialsChanged]) -> None:
    """Listener of the users module's credential events: a password change ends every other
    session of the account; deactivation and deletion end all of them."""
    event = delivery.event
    keep = event.keep_session if isinstance(event, PasswordChanged) else None
    await repository.revoke(
        delivery.uow.session,
        user_id=event.user_id,
        keep=uuid.UUID(keep) if keep else None,
        reason="credentials_changed",
        now=datetime.now(UTC),
    )


async def prune_sessions(uow: UnitOfWork, _settings: object = None) -> int:
    """Removes the sessions that can never be used again (expired or revoked); returns how
    many. Run hourly by the kernel's job runner, and by ``mosaic auth prune-sessions``."""
    return await repository.prune(uow.session, now=datetime.now(UTC))
