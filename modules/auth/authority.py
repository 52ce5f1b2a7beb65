"""The token authority: one per application, issuing and verifying this deployment's tokens."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core import Kernel
from core.auth import InvalidToken, Principal
from modules.auth import repository
from modules.auth.config import AuthSettings
from modules.auth.keys import SigningKeys
from modules.auth.sessions import open_session
from modules.auth.throttle import LoginThrottle
from modules.auth.tokens import ACCESS, TokenCodec, TokenRejected
from modules.users.api import get_active_user

TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 - a path, not a secret
LOGOUT_URL = "/api/v1/auth/logout"


class TokenAuthority:
    """Implements the kernel's ``Authenticator``: a token is valid while its signature and claims
    hold, its session is live (shared through the database, so every worker agrees) and its user
    is active. Permissions are the user's current roles, narrowed to the token's scope."""

    token_url = TOKEN_URL
    logout_url = LOGOUT_URL

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.settings = kernel.settings_of(AuthSettings)
        self.keys = SigningKeys(self.settings, kernel.settings.secret_key.get_secret_value())
        self.codec = TokenCodec(self.settings, self.keys)
        self.throttle = LoginThrottle(self.settings, kernel.rate_limiter)

    async def authenticate(self, token: str, session: AsyncSession) -> Principal:
        try:
            claims = self.codec.verify(token, ACCESS)
            user_id, session_id = uuid.UUID(claims["sub"]), uuid.UUID(claims["sid"])
        except (TokenRejected, ValueError) as exc:
            raise InvalidToken(f"The access token is not valid: {exc}.") from None
        now = datetime.now(UTC)
        if not await repository.session_is_live(session, session_id=session_id, now=now):
            raise InvalidToken("The session of this token has ended.")
        user = await get_active_user(session, user_id=user_id)
        if user is None:
            raise InvalidToken("The account of this token is inactive or deleted.")
        granted = self.kernel.permissions_for(user.roles)
        scope = set(str(claims.get("scope", "")).split())
        return Principal(str(user_id), granted & scope, session=str(session_id))

    async def mint(self, subject: str, permissions: Iterable[str]) -> str:
        async with self.kernel.database.unit_of_work() as uow:
            pair = await open_session(
                uow, codec=self.codec, user_id=uuid.UUID(subject), scope=" ".join(permissions)
            )
        return pair.access_token
