"""Tokens for tests: a stand-in authenticator, so a module can be tested without the auth module.

::

    app = await mosaic_app({"catalogue": catalogue, "testauth": static_auth_plugin()})
    token = await mosaic_token(app, "catalogue:write")

With the real ``auth`` module enabled instead, ``mosaic_token`` mints a real token through it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from types import SimpleNamespace

from sqlalchemy.ext.asyncio import AsyncSession

from core.auth.authenticator import Authenticator
from core.auth.errors import InvalidToken
from core.auth.principal import Principal
from core.hookspecs import hookimpl
from core.kernel.kernel import Kernel
from core.kernel.module import Module

STATIC_AUTH = "testauth"
# Where the auth module serves its tokens; the stand-in serves none, but documents the same flow.
TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 - a path, not a secret


class StaticAuthenticator:
    """Accepts only the tokens it minted, for the principals it minted them for."""

    token_url = TOKEN_URL
    logout_url = "/api/v1/auth/logout"

    def __init__(self) -> None:
        self._tokens: dict[str, Principal] = {}

    async def authenticate(self, token: str, session: AsyncSession) -> Principal:
        principal = self._tokens.get(token)
        if principal is None:
            raise InvalidToken("Unknown token.")
        return principal

    async def mint(self, subject: str, permissions: Iterable[str]) -> str:
        token = secrets.token_urlsafe(24)
        self._tokens[token] = Principal(subject, frozenset(permissions))
        return token

    def revoke(self, token: str) -> None:
        """Makes ``token`` fail from now on."""
        self._tokens.pop(token, None)


def static_auth_plugin() -> object:
    """Returns a plugin, enabled as ``testauth``, registering a :class:`StaticAuthenticator`."""

    @hookimpl
    def mosaic_describe_module() -> Module:
        return Module(name=STATIC_AUTH, version="0", description="Tokens for tests, in memory.")

    @hookimpl
    def mosaic_register_authenticator(kernel: Kernel) -> Authenticator:
        return StaticAuthenticator()

    return SimpleNamespace(
        mosaic_describe_module=mosaic_describe_module,
        mosaic_register_authenticator=mosaic_register_authenticator,
    )
