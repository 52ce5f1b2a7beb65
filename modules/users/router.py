"""HTTP routes of the users module: parse, call the service, answer.

``/me`` routes act on the caller's own account; the others need ``users:admin``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from core import Text, answer
from core.auth import CurrentPrincipal, require
from core.db import UoW
from core.errors import raises
from modules.users import mailed_links, password_reset, service, verification
from modules.users.cursor import Position, encode_cursor
from modules.users.dependencies import (
    ADMIN_PERMISSION,
    AccountCursors,
    AdminRoles,
    ClientAddress,
    CurrentUser,
    Limiter,
    PagePosition,
    PageSize,
    PasswordsDep,
    TargetUser,
    UsersConfig,
    ValidAdminUpdate,
    VisibleUser,
    registration_open,
)
from modules.users.errors import (
    EmailTaken,
    InvalidResetToken,
    InvalidVerificationToken,
    LastAdministrator,
    MailThrottled,
    ThrottleUnavailable,
    WrongPassword,
)
from modules.users.mailed_links import PASSWORD_RESET, VERIFY_EMAIL, Link
from modules.users.models import EMAIL_MAX_LENGTH, User
from modules.users.schemas import (
    ROLE_MAX_LENGTH,
    EmailVerification,
    MailAccepted,
    MailRequest,
    PasswordChange,
    PasswordReset,
    UserCreate,
    UserPage,
    UserRead,
    UserUpdate,
)

ADMIN = ADMIN_PERMISSION
_MAILED_IF_ANY = "If an account has this email, a link was mailed to it."
router = APIRouter(prefix="/users", tags=["users"])


@router.post(
    "",
    response_model=UserRead,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(registration_open)],
    summary="Register an account",
)
@raises(EmailTaken)
async def register(
    body: UserCreate, uow: UoW, passwords: PasswordsDep, settings: UsersConfig
) -> User:
    """Creates an active account without any role; its email must not be in use. A link to
    verify the email is mailed to it."""
    user = await service.register(
        uow,
        email=body.email,
        password=body.password,
        display_name=body.display_name,
        passwords=passwords,
    )
    await verification.send_verification(uow, user=user, settings=settings)
    return user


@router.get("/me", response_model=UserRead, summary="Read my account")
async def read_me(user: CurrentUser) -> User:
    """The caller's own account."""
    return user


@router.patch("/me", response_model=UserRead, summary="Update my account")
@raises(EmailTaken)
async def update_me(body: UserUpdate, user: CurrentUser, uow: UoW, settings: UsersConfig) -> User:
    """Changes the caller's display name or email (which must not be in use). A new email is
    unverified until its owner follows the link mailed to it."""
    return await service.update_profile(uow, user=user, changes=body, settings=settings)


@router.post(
    "/me/password",
    response_model=None,
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change my password",
)
@raises(WrongPassword)
async def change_password(
    *,
    body: PasswordChange,
    user: CurrentUser,
    principal: CurrentPrincipal,
    uow: UoW,
    passwords: PasswordsDep,
) -> None:
    """Replaces the caller's password and ends every other session of the account."""
    await service.change_password(
        uow,
        user=user,
        current_password=body.current_password,
        new_password=body.new_password,
        keep_session=principal.session,
        passwords=passwords,
    )


@router.post(
    "/verify",
    response_model=None,
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Verify my email",
)
@raises(InvalidVerificationToken)
async def verify_email(body: EmailVerification, uow: UoW) -> None:
    """Takes the token of a verification link and marks the email it was mailed to verified.
    A token works once, until it expires (`verification_token_ttl`) or the account's email
    changes."""
    await verification.verify_email(uow, token=body.token)


def _ask(path: str, link: Link, name: str, summary: str, description: str) -> None:
    """Adds the route that asks for a mailed ``link``: the same work and the same answer
    whether or not an account has the address."""

    @router.post(
        path,
        name=name,
        response_model=MailAccepted,
        status_code=status.HTTP_202_ACCEPTED,
        summary=summary,
        description=description,
    )
    @raises(MailThrottled, ThrottleUnavailable)
    async def request_link(
        body: MailRequest, uow: UoW, limiter: Limiter, client: ClientAddress, settings: UsersConfig
    ) -> MailAccepted:
        await mailed_links.request_link(
            uow, link, email=body.email, client=client, limiter=limiter, settings=settings
        )
        return MailAccepted(detail=_MAILED_IF_ANY)


# The summary and description of each route that asks for a mailed link.
_RESEND = (
    "Mail a new verification link",
    "Mails a new verification link if an active account has this email unverified. The\n"
    "answer is the same whether or not one does; requests are throttled per email and per\n"
    "client address (429 with `Retry-After`).",
)
_RESET = (
    "Mail a password reset link",
    "Mails a password reset link if an active account has this email. The answer is the same\n"
    "whether or not one does; requests are throttled per email and per client address (429 "
    "with\n`Retry-After`).",
)
_ask("/verify/resend", VERIFY_EMAIL, "resend_verification", *_RESEND)
_ask("/password-reset", PASSWORD_RESET, "request_password_reset", *_RESET)


@router.post(
    "/password-reset/confirm",
    response_model=None,
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Set a new password with a reset link",
)
@raises(InvalidResetToken)
async def confirm_password_reset(body: PasswordReset, uow: UoW, passwords: PasswordsDep) -> None:
    """Takes the token of a password reset link and the new password: the password is
    replaced and every session of the account ends. A token works once, until it expires
    (`password_reset_token_ttl`)."""
    await password_reset.reset_password(
        uow, token=body.token, new_password=body.new_password, passwords=passwords
    )


@router.get(
    "",
    response_model=UserPage,
    dependencies=[require(ADMIN)],
    summary="List accounts",
)
async def list_users(
    *,
    uow: UoW,
    cursors: AccountCursors,
    limit: PageSize,
    after: PagePosition,
    email: Annotated[
        Text | None,
        Query(max_length=EMAIL_MAX_LENGTH, description="Part of the email, in any case."),
    ] = None,
    role: Annotated[
        Text | None, Query(max_length=ROLE_MAX_LENGTH, description="Accounts with this role.")
    ] = None,
    is_active: Annotated[bool | None, Query(description="Active or inactive accounts.")] = None,
) -> Response:
    """One page of accounts matching every filter given, oldest first. A `cursor` that is not
    the `next` of an earlier page is 400 `core.invalid_cursor`."""
    rows = await service.list_users(
        uow, after=after, limit=limit + 1, email_contains=email, role=role, is_active=is_active
    )
    following = None
    if len(rows) > limit:
        last = rows[limit - 1]
        following = encode_cursor(cursors, Position(last.created_at, last.id))
    return answer(UserPage, {"items": rows[:limit], "next": following})


@router.get("/{user_id}", response_model=UserRead, summary="Read an account")
async def read_user(user: VisibleUser) -> User:
    """The account with this id: any account for `users:admin`, otherwise only the caller's own
    (another user's account answers 404, as if it did not exist)."""
    return user


@router.patch(
    "/{user_id}",
    response_model=UserRead,
    dependencies=[require(ADMIN)],
    summary="Update an account",
)
@raises(LastAdministrator)
async def update_user(
    body: ValidAdminUpdate,
    user: TargetUser,
    uow: UoW,
    admin_roles: AdminRoles,
) -> User:
    """Sets the account's roles, active flag or display name; deactivating it ends its sessions.
    Taking the administrator role from, or deactivating, the last active administrator is
    refused."""
    return await service.administer(uow, user=user, changes=body, admin_roles=admin_roles)


@router.delete(
    "/{user_id}",
    response_model=None,
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[require(ADMIN)],
    summary="Delete an account",
)
@raises(LastAdministrator)
async def delete_user(user: TargetUser, uow: UoW, admin_roles: AdminRoles) -> None:
    """Deletes the account and ends all its sessions; the last active administrator cannot be
    deleted."""
    await service.delete_user(uow, user=user, admin_roles=admin_roles)
