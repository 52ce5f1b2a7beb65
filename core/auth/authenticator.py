"""The contract between the kernel and the module that issues tokens."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from sqlalchemy.ext.asyncio import AsyncSession

from core.auth.principal import Principal


@runtime_checkable
class Authenticator(Protocol):
    """Turns a bearer token into a :class:`Principal`; registered by exactly one module.

    ``authenticate`` raises :class:`~core.auth.errors.InvalidToken` for a malformed, expired,
    tampered, revoked or wrong-type token; it reads through ``session``, the request's Unit of
    Work, so checking a token costs no extra connection. ``mint`` issues an access token for
    ``subject`` with ``permissions`` without a login (service accounts, tests).

    ``token_url`` is the OAuth2 token endpoint (documented as the password flow's ``tokenUrl``);
    ``logout_url`` is where a client ends its session by posting with its bearer token (the
    admin console signs out there, so a copied console cookie stops working too).
    """

    token_url: str
    logout_url: str

    async def authenticate(self, token: str, session: AsyncSession) -> Principal: ...

    async def mint(self, subject: str, permissions: Iterable[str]) -> str: ...
