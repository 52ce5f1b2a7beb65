"""The users module's public API: the only thing other modules may import.

The auth module logs people in with :func:`verify_credentials` and the deployment's
:class:`Passwords`, which its token route receives as :data:`AccountPasswords` (and whether an
unverified email may log in as :data:`VerifiedEmailRequired`, refused with
:class:`EmailNotVerified`); it re-reads the
account on refresh with :func:`get_active_user`, ends sessions by listening to
:class:`CredentialsChanged` (the module's events: :class:`PasswordChanged`,
:class:`UserDeactivated`, :class:`UserDeleted`), and points its foreign keys at
:func:`user_id_column`::

    user_id = mapped_column(ForeignKey(user_id_column(), ondelete="CASCADE"))

(its migration branch then declares ``depends_on=("users",)``).

A module that signs people in by other means (the oidc module) finds an account with
:func:`account_by_email` and opens one with :func:`create_account` when the deployment's
:data:`RegistrationAllowed` lets it (refused with :class:`RegistrationClosed`; a taken email
with :class:`EmailTaken`).
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from typing import cast

from email_validator import EmailNotValidError
from sqlalchemy import Column, Table
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import UnitOfWork
from modules.users import repository, service
from modules.users.dependencies import PasswordsDep, RegistrationEnabled, RequireVerifiedEmail
from modules.users.errors import EmailNotVerified, EmailTaken, RegistrationClosed
from modules.users.events import (
    CredentialsChanged,
    PasswordChanged,
    UserDeactivated,
    UserDeleted,
)
from modules.users.models import DISPLAY_NAME_MAX_LENGTH, User
from modules.users.passwords import PASSWORD_MAX_LENGTH, Passwords
from modules.users.schemas import normalize_email

__all__ = [
    "AccountPasswords",
    "CredentialsChanged",
    "EmailNotVerified",
    "EmailTaken",
    "PasswordChanged",
    "Passwords",
    "RegistrationAllowed",
    "RegistrationClosed",
    "UserDeactivated",
    "UserDeleted",
    "UserView",
    "VerifiedEmailRequired",
    "account_by_email",
    "account_email",
    "create_account",
    "get_active_user",
    "user_id_column",
    "verify_credentials",
]


_LOADED = "users.loaded"

AccountPasswords = PasswordsDep
"""The hasher of the deployment's ``[modules.users]`` settings, as a route dependency."""

RegistrationAllowed = RegistrationEnabled
"""Whether the deployment lets anyone open an account (``registration_enabled``), as a route
dependency."""

VerifiedEmailRequired = RequireVerifiedEmail
"""Whether the deployment refuses logins of unverified emails (``require_verified_email``), as
a route dependency."""


@dataclass(frozen=True, slots=True)
class UserView:
    """An account as other modules see it: never its password hash."""

    id: uuid.UUID
    email: str
    display_name: str | None
    roles: tuple[str, ...]
    is_active: bool
    email_verified: bool


def _view(user: User) -> UserView:
    return UserView(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        roles=tuple(user.roles),
        is_active=user.is_active,
        email_verified=user.email_verified,
    )


def account_email(value: str) -> str | None:
    """Returns the form an account with the email ``value`` has it in (stripped, lower-cased),
    or ``None`` when ``value`` is no email address the API accepts, and so nobody's."""
    try:
        return normalize_email(value)
    except EmailNotValidError:
        return None


async def verify_credentials(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    passwords: Passwords,
    require_verified_email: bool = False,
) -> UserView | None:
    """Returns the account ``email`` and ``password`` log into, or ``None``.

    ``None`` alike for an unknown email, a wrong password and an inactive account, and in about
    the same time: an unknown email is verified against a dummy hash of the same parameters.
    With ``require_verified_email``, the right password of an account whose email is not
    verified raises :class:`EmailNotVerified` (only who knows the password learns it). When
    the stored hash uses other parameters than the configured ones, it is replaced (flushed in
    ``session``, committed by the caller's Unit of Work) with the parameters of ``passwords``.
    """
    if len(password) > PASSWORD_MAX_LENGTH:
        return None  # No stored password is this long; refusing is free and says nothing.
    address = account_email(email)
    user = await repository.by_email(session, email=address) if address is not None else None
    if user is None:
        await passwords.verify_nothing(password)
        return None
    matches, new_hash = await passwords.verify(password, user.password_hash)
    if not matches or not user.is_active:
        return None
    if require_verified_email and not user.email_verified:
        raise EmailNotVerified(
            "Verify your email first: follow the link mailed to it, or ask for a new one."
        )
    if new_hash is not None:
        user.password_hash = new_hash
        await session.flush()
    return _view(user)


async def account_by_email(session: AsyncSession, *, email: str) -> UserView | None:
    """Returns the account with this email (active or not), or ``None``; ``email`` is
    normalized first, so any way of writing the address finds it."""
    address = account_email(email)
    user = await repository.by_email(session, email=address) if address is not None else None
    return _view(user) if user is not None else None


async def create_account(
    uow: UnitOfWork,
    *,
    email: str,
    display_name: str | None,
    email_verified: bool,
    passwords: Passwords,
) -> UserView:
    """Returns a new active account with no role, for someone who proved who they are elsewhere.

    Its password is random and never told, so nobody logs in with one until the owner sets
    one through a password reset. ``email`` must be an address :func:`account_email` accepts;
    a taken one raises :class:`EmailTaken` (also when a concurrent request took it first).
    ``email_verified`` takes the address as proven. No verification mail is sent either way:
    the owner of an unverified address asks for one with ``POST /api/v1/users/verify/resend``.
    ``display_name`` longer than an account's is cut.
    """
    address = account_email(email)
    if address is None:
        raise ValueError("create_account needs an email address account_email accepts")
    user = await service.register(
        uow,
        email=address,
        password=secrets.token_urlsafe(32),
        display_name=display_name[:DISPLAY_NAME_MAX_LENGTH] if display_name else None,
        passwords=passwords,
        email_verified=email_verified,
    )
    return _view(user)


async def get_active_user(session: AsyncSession, *, user_id: uuid.UUID) -> UserView | None:
    """Returns the account with this id if it exists and is active (one SELECT by primary key).

    The account stays loaded in ``session`` until it closes: a route of this module reading the
    caller's account after the token check then finds it without another SELECT.
    """
    user = await repository.get(session, user_id=user_id)
    if user is None:
        return None
    # The session's identity map holds its objects weakly; this reference keeps the account.
    session.info.setdefault(_LOADED, {})[user.id] = user
    return _view(user) if user.is_active else None


def user_id_column() -> Column[uuid.UUID]:
    """Returns the ``users_users.id`` column, for other modules' foreign keys."""
    return cast(Table, User.__table__).c.id
