"""Errors of the users module, each bound to a stable code.

::

    Forbidden            RegistrationClosed   users.registration_closed
    NotFound             UserNotFound         users.user_not_found
    Conflict             EmailTaken           users.email_taken
                         LastAdministrator    users.last_administrator
    UnprocessableContent WrongPassword        users.wrong_password
                         UnknownRole          users.unknown_role

The admin listing refuses a foreign cursor with the kernel's ``core.invalid_cursor``.
"""

from __future__ import annotations

from core.errors import Conflict, Forbidden, NotFound, UnprocessableContent


class RegistrationClosed(Forbidden):
    code = "users.registration_closed"
    title = "Registration closed"
    description = "This deployment does not let anyone register; an administrator creates accounts."


class UserNotFound(NotFound):
    code = "users.user_not_found"
    title = "User not found"
    description = "No account has this id, or it is no longer active."


class EmailTaken(Conflict):
    code = "users.email_taken"
    title = "Email taken"
    description = "Another account already uses this email address (compared case-insensitively)."


class LastAdministrator(Conflict):
    code = "users.last_administrator"
    title = "Last administrator"
    description = (
        "The change would leave no active administrator (an account whose roles grant "
        "`users:admin`): give another account an administrator role first."
    )


class WrongPassword(UnprocessableContent):
    code = "users.wrong_password"
    title = "Wrong password"
    description = "The current password given does not match the account's password."


class UnknownRole(UnprocessableContent):
    code = "users.unknown_role"
    title = "Unknown role"
    description = "A role given is not one of the roles this deployment defines."


ERRORS = (
    RegistrationClosed,
    UserNotFound,
    EmailTaken,
    LastAdministrator,
    WrongPassword,
    UnknownRole,
)
