"""Errors of the users module, each bound to a stable code.

::

    BadRequest           UsersInvalidCursor        users.invalid_cursor
    Forbidden            UsersRegistrationClosed   users.registration_closed
    NotFound             UsersUserNotFound         users.user_not_found
    Conflict             UsersEmailTaken           users.email_taken
                         UsersLastAdministrator    users.last_administrator
    UnprocessableContent UsersWrongPassword        users.wrong_password
                         UsersUnknownRole          users.unknown_role
"""

from __future__ import annotations

from core.errors import BadRequest, Conflict, Forbidden, NotFound, UnprocessableContent


class UsersRegistrationClosed(Forbidden):
    code = "users.registration_closed"
    title = "Registration closed"
    description = "This deployment does not let anyone register; an administrator creates accounts."


class UsersUserNotFound(NotFound):
    code = "users.user_not_found"
    title = "User not found"
    description = "No account has this id, or it is no longer active."


class UsersEmailTaken(Conflict):
    code = "users.email_taken"
    title = "Email taken"
    description = "Another account already uses this email address (compared case-insensitively)."


class UsersLastAdministrator(Conflict):
    code = "users.last_administrator"
    title = "Last administrator"
    description = (
        "The change would leave no active administrator (an account whose roles grant "
        "`users:admin`): give another account an administrator role first."
    )


class UsersWrongPassword(UnprocessableContent):
    code = "users.wrong_password"
    title = "Wrong password"
    description = "The current password given does not match the account's password."


class UsersUnknownRole(UnprocessableContent):
    code = "users.unknown_role"
    title = "Unknown role"
    description = "A role given is not one of the roles this deployment defines."


class UsersInvalidCursor(BadRequest):
    code = "users.invalid_cursor"
    title = "Invalid cursor"
    description = (
        "The `cursor` is not a `next` this listing returned: it was altered, forged or cut short."
    )


ERRORS = (
    UsersRegistrationClosed,
    UsersUserNotFound,
    UsersEmailTaken,
    UsersLastAdministrator,
    UsersWrongPassword,
    UsersUnknownRole,
    UsersInvalidCursor,
)
