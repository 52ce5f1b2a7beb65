"""The auth module's public API. Most modules need nothing from it: they use
``core.auth.require`` and ``core.auth.CurrentPrincipal``.

A module that proves who someone is by other means (the oidc module) hands them the same tokens
as a password login with :func:`open_login_session`, answered as a :class:`TokenPair`::

    pair = await open_login_session(uow, kernel=kernel, user_id=user.id, roles=user.roles)

and sends it with the headers :data:`NO_STORE`, as the token endpoint does.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from core import Kernel
from core.db import UnitOfWork
from modules.auth.authority import TokenAuthority
from modules.auth.schemas import NO_STORE, TokenPair
from modules.auth.sessions import open_session

__all__ = ["NO_STORE", "TokenPair", "open_login_session"]


async def open_login_session(
    uow: UnitOfWork, *, kernel: Kernel, user_id: uuid.UUID, roles: Iterable[str]
) -> TokenPair:
    """Returns the tokens of a new login session for the account ``user_id``, with every
    permission its ``roles`` grant, as ``POST /api/v1/auth/token`` answers a password login.
    The session's row is written in ``uow`` and commits with the caller's other writes."""
    authority = kernel.authenticator
    if not isinstance(authority, TokenAuthority):
        raise TypeError(f"the kernel's authenticator is {authority!r}, not the auth module's")
    scope = " ".join(sorted(kernel.permissions_for(tuple(roles))))
    return await open_session(uow, codec=authority.codec, user_id=user_id, scope=scope)
