"""Chained dependencies of the users routes: they validate and load, so services get valid input.

Each declares what it raises, so OpenAPI documents it on every route that uses it.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Path, Query, Request

from core import (
    CURSOR_PATTERN,
    CursorCodec,
    KernelDep,
    RateLimiter,
    cursor_codec,
    module_settings,
    page_size,
)
from core.auth import CurrentPrincipal
from core.db import UoW
from core.errors import InvalidCursor, raises
from modules.users import service
from modules.users.config import UsersSettings
from modules.users.cursor import PURPOSE, Position, decode_cursor
from modules.users.errors import (
    RegistrationClosed,
    UnknownRole,
    UserNotFound,
)
from modules.users.models import User
from modules.users.passwords import Passwords, passwords_for
from modules.users.schemas import UserAdminUpdate

ADMIN_PERMISSION = "users:admin"
CURSOR_MAX_LENGTH = 200

UsersConfig = Annotated[UsersSettings, Depends(module_settings(UsersSettings))]
AccountCursors = Annotated[CursorCodec, Depends(cursor_codec(PURPOSE))]
PageSize = Annotated[
    int,
    Depends(
        page_size(
            UsersSettings,
            description="Accounts per page: at most the deployment's `max_page_size` "
            "(100 unless configured); `default_page_size` (50) when left out.",
        )
    ),
]


async def _passwords(settings: UsersConfig) -> Passwords:
    return passwords_for(settings)


@raises(RegistrationClosed)
async def registration_open(settings: UsersConfig) -> None:
    """Refuses registration when the deployment turned it off."""
    if not settings.registration_enabled:
        raise RegistrationClosed("Registration is closed; ask an administrator for an account.")


@raises(UserNotFound)
async def _current_user(principal: CurrentPrincipal, uow: UoW) -> User:
    try:
        user_id = uuid.UUID(principal.subject)
    except ValueError:
        raise UserNotFound("The token's subject is not an account.") from None
    return await service.get_active_user(uow, user_id=user_id)


@raises(UserNotFound)
async def _target_user(user_id: Annotated[uuid.UUID, Path()], uow: UoW) -> User:
    return await service.get_user(uow, user_id=user_id)


@raises(UserNotFound)
async def _visible_user(
    user_id: Annotated[uuid.UUID, Path()], principal: CurrentPrincipal, uow: UoW
) -> User:
    """An administrator sees every account, anyone else only their own: another user's account
    answers 404 exactly as an id that does not exist."""
    if not principal.can(ADMIN_PERMISSION) and principal.subject != str(user_id):
        raise UserNotFound(f"No account has id {user_id}.")
    return await service.get_user(uow, user_id=user_id)


@raises(UnknownRole)
async def _admin_update(body: UserAdminUpdate, kernel: KernelDep) -> UserAdminUpdate:
    known = kernel.roles
    unknown = [role for role in body.roles or () if role not in known]
    if unknown:
        raise UnknownRole(
            f"Unknown role(s): {', '.join(unknown)}. Known roles: {', '.join(sorted(known))}."
        )
    return body


@raises(InvalidCursor)
async def _position(
    cursors: AccountCursors,
    cursor: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=CURSOR_MAX_LENGTH,
            pattern=CURSOR_PATTERN,
            description="The `next` of the previous page; leave out for the first page.",
        ),
    ] = None,
) -> Position | None:
    return decode_cursor(cursors, cursor) if cursor is not None else None


async def _admin_roles(kernel: KernelDep) -> frozenset[str]:
    """The roles that grant ``users:admin``: whoever holds one is an administrator."""
    roles = kernel.roles
    return frozenset(role for role, granted in roles.items() if ADMIN_PERMISSION in granted)


async def _rate_limiter(kernel: KernelDep) -> RateLimiter:
    return kernel.rate_limiter


async def _client_address(request: Request) -> str:
    """The client's address (the kernel has already resolved trusted proxies)."""
    return request.client.host if request.client else "unknown"


async def _require_verified_email(settings: UsersConfig) -> bool:
    return settings.require_verified_email


async def _registration_enabled(settings: UsersConfig) -> bool:
    return settings.registration_enabled


PasswordsDep = Annotated[Passwords, Depends(_passwords)]
Limiter = Annotated[RateLimiter, Depends(_rate_limiter)]
ClientAddress = Annotated[str, Depends(_client_address)]
RequireVerifiedEmail = Annotated[bool, Depends(_require_verified_email)]
RegistrationEnabled = Annotated[bool, Depends(_registration_enabled)]
AdminRoles = Annotated[frozenset[str], Depends(_admin_roles)]
CurrentUser = Annotated[User, Depends(_current_user)]
TargetUser = Annotated[User, Depends(_target_user)]
VisibleUser = Annotated[User, Depends(_visible_user)]
ValidAdminUpdate = Annotated[UserAdminUpdate, Depends(_admin_update)]
PagePosition = Annotated[Position | None, Depends(_position)]
