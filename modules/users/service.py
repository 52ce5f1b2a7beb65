"""Rules of the users module. Functions work over the Unit of Work and never commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from core import utcnow
from core.db import AnyRow, UnitOfWork, flush_or_raise
from modules.users import repository
from modules.users.config import UsersSettings
from modules.users.cursor import Position
from modules.users.errors import (
    EmailTaken,
    LastAdministrator,
    UserNotFound,
    WrongPassword,
)
from modules.users.events import PasswordChanged, UserDeactivated, UserDeleted
from modules.users.models import EMAIL_CONSTRAINT, User
from modules.users.passwords import Passwords
from modules.users.schemas import UserAdminUpdate, UserUpdate
from modules.users.verification import send_verification


async def register(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    display_name: str | None,
    roles: Sequence[str] = (),
    passwords: Passwords,
    email_verified: bool = False,
) -> User:
    """Returns the new, active account; refuses an email another account has.

    ``email`` must already be normalized (the schemas do it). ``email_verified`` takes the
    address as proven (an operator's word), so no verification mail is needed.
    """
    # Checked before hashing, so a taken email costs a SELECT and not a hash.
    await _refuse_taken_email(uow, email=email)
    user = User(
        id=uuid.uuid4(),
        email=email,
        display_name=display_name,
        password_hash=await passwords.hash(password),
        roles=list(roles),
        is_active=True,
        email_verified_at=utcnow() if email_verified else None,
    )
    uow.session.add(user)
    await _flush_or_email_taken(uow, email=email)
    return user


async def get_user(uow: UnitOfWork, *, user_id: uuid.UUID) -> User:
    """Returns the account, or raises ``users.user_not_found``."""
    user = await repository.get(uow.session, user_id=user_id)
    if user is None:
        raise UserNotFound(f"No account has id {user_id}.")
    return user


async def get_active_user(uow: UnitOfWork, *, user_id: uuid.UUID) -> User:
    """Returns the active account, or raises ``users.user_not_found`` (also when inactive)."""
    user = await repository.get(uow.session, user_id=user_id)
    if user is None or not user.is_active:
        raise UserNotFound("Your account no longer exists or is no longer active.")
    return user


async def list_users(
    uow: UnitOfWork,
    *,
    after: Position | None,
    limit: int,
    email_contains: str | None,
    role: str | None,
    is_active: bool | None,
) -> Sequence[AnyRow]:
    """Returns one page of accounts, oldest first, as answers (``UserRead``'s columns)."""
    return await repository.answer_page(
        uow.session,
        after=after,
        limit=limit,
        email_contains=email_contains,
        role=role,
        is_active=is_active,
    )


async def update_profile(
    uow: UnitOfWork, *, user: User, changes: UserUpdate, settings: UsersSettings
) -> User:
    """Returns the account with the fields sent in ``changes`` applied; a new email must be
    free, is unverified until its owner follows the link mailed to it, and voids the links
    mailed to the old one."""
    new_email = changes.email is not None and changes.email != user.email
    if changes.email is not None and new_email:
        await _refuse_taken_email(uow, email=changes.email)
        user.email = changes.email
        user.email_verified_at = None
    if "display_name" in changes.model_fields_set:
        user.display_name = changes.display_name
    await _flush_or_email_taken(uow, email=user.email)
    if new_email:
        await send_verification(uow, user=user, settings=settings)
    return user


async def change_password(
    uow: UnitOfWork,
    *,
    user: User,
    current_password: str,
    new_password: str,
    keep_session: str | None,
    passwords: Passwords,
) -> None:
    """Replaces the password after checking the current one; publishes
    ``users.password_changed`` (the auth module ends every other session)."""
    matches, _ = await passwords.verify(current_password, user.password_hash)
    if not matches:
        raise WrongPassword("The current password is not correct.")
    await set_password(
        uow, user=user, new_password=new_password, keep_session=keep_session, passwords=passwords
    )


async def set_password(
    uow: UnitOfWork,
    *,
    user: User,
    new_password: str,
    keep_session: str | None = None,
    passwords: Passwords,
) -> None:
    """Replaces the password and publishes ``users.password_changed``: the auth module ends
    every session of the account but ``keep_session``. Every way of setting a password (a
    change, a reset, an operator) goes through here."""
    user.password_hash = await passwords.hash(new_password)
    await uow.session.flush()
    await uow.publish(PasswordChanged(user_id=user.id, keep_session=keep_session))


async def administer(
    uow: UnitOfWork,
    *,
    user: User,
    changes: UserAdminUpdate,
    admin_roles: frozenset[str],
) -> User:
    """Returns the account with the fields sent in ``changes`` applied; deactivating it
    publishes ``users.deactivated``. The roles must already be known to the kernel (checked at
    the edge). A change that would leave no active administrator (an account holding one of
    ``admin_roles``) is refused with ``users.last_administrator``."""
    was_admin = _is_administrator(user, admin_roles)
    if was_admin:
        await repository.lock_administrators(uow.session, roles=admin_roles)
    deactivated = user.is_active and changes.is_active is False
    if changes.roles is not None:
        user.roles = list(dict.fromkeys(changes.roles))
    if changes.is_active is not None:
        user.is_active = changes.is_active
    if "display_name" in changes.model_fields_set:
        user.display_name = changes.display_name
    await uow.session.flush()
    if was_admin and not _is_administrator(user, admin_roles):
        await _keep_an_administrator(uow, admin_roles=admin_roles)
    if deactivated:
        await uow.publish(UserDeactivated(user_id=user.id))
    return user


async def delete_user(
    uow: UnitOfWork,
    *,
    user: User,
    admin_roles: frozenset[str],
) -> None:
    """Deletes the account; ``users.deleted`` is published first, so in-transaction listeners
    still see the row. The last active administrator cannot be deleted."""
    was_admin = _is_administrator(user, admin_roles)
    if was_admin:
        await repository.lock_administrators(uow.session, roles=admin_roles)
    await uow.publish(UserDeleted(user_id=user.id))
    await uow.session.delete(user)
    await uow.session.flush()
    if was_admin:
        await _keep_an_administrator(uow, admin_roles=admin_roles)


def _is_administrator(user: User, admin_roles: frozenset[str]) -> bool:
    return user.is_active and not admin_roles.isdisjoint(user.roles)


async def _keep_an_administrator(uow: UnitOfWork, *, admin_roles: frozenset[str]) -> None:
    # Counted after our own write: on PostgreSQL the administrators are locked, so concurrent
    # demotions queue behind us; on SQLite our write holds the database's only write lock. Either
    # way the count includes every committed change, and raising rolls ours back.
    if not await repository.count_active_with_roles(uow.session, roles=admin_roles):
        raise LastAdministrator(
            "This is the last active administrator; make another account an administrator first."
        )


async def _refuse_taken_email(uow: UnitOfWork, *, email: str) -> None:
    if await repository.email_exists(uow.session, email=email):
        raise EmailTaken(f"An account already uses the email {email}.")


async def _flush_or_email_taken(uow: UnitOfWork, *, email: str) -> None:
    # A concurrent request may take the email between the check and the write.
    taken = EmailTaken(f"An account already uses the email {email}.")
    await flush_or_raise(uow.session, {EMAIL_CONSTRAINT: taken})


async def prune_tokens(uow: UnitOfWork, _settings: object = None) -> int:
    """Removes the mailed tokens that can never be used again (used or expired); returns how
    many. Run hourly by the kernel's job runner."""
    return await repository.prune_tokens(uow.session, now=utcnow())
