"""Errors of the users module, each bound to a stable code.

::

    BadRequest           UsersInvalidCursor        users.invalid_cursor
                         InvalidVerificationToken  users.invalid_verification_token
                         InvalidResetToken         users.invalid_reset_token
    Forbidden            UsersRegistrationClosed   users.registration_closed
                         EmailNotVerified          users.email_not_verified
    NotFound             UsersUserNotFound         users.user_not_found
    Conflict             UsersEmailTaken           users.email_taken
                         UsersLastAdministrator    users.last_administrator
    UnprocessableContent UsersWrongPassword        users.wrong_password
                         UsersUnknownRole          users.unknown_role
    TooManyRequests      MailThrottled             users.mail_throttled
    Unavailable          ThrottleUnavailable       users.throttle_unavailable
"""

from __future__ import annotations

from core.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    TooManyRequests,
    Unavailable,
    UnprocessableContent,
)


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


class EmailNotVerified(Forbidden):
    code = "users.email_not_verified"
    title = "Email not verified"
    description = (
        "The email and password are right, but this deployment lets an account log in only once "
        "its email is verified: follow the link mailed at registration, or ask for a new one "
        "with POST /api/v1/users/verify/resend."
    )


class InvalidVerificationToken(BadRequest):
    code = "users.invalid_verification_token"
    title = "Invalid verification token"
    description = (
        "The verification token is unknown, expired or already used, or the account's email "
        "changed since it was mailed; ask for a new one with POST /api/v1/users/verify/resend."
    )


class InvalidResetToken(BadRequest):
    code = "users.invalid_reset_token"
    title = "Invalid password reset token"
    description = (
        "The password reset token is unknown, expired or already used, or the account changed "
        "its email or was deactivated since it was mailed; ask for a new one with "
        "POST /api/v1/users/password-reset."
    )


class MailThrottled(TooManyRequests):
    code = "users.mail_throttled"
    title = "Too many mail requests"
    description = (
        "Too many verification or password reset mails were asked for this address or from "
        "this client; retry after Retry-After."
    )


class ThrottleUnavailable(Unavailable):
    code = "users.throttle_unavailable"
    title = "Mail requests temporarily unavailable"
    description = (
        "The store that counts mail requests cannot be reached, so they are refused rather "
        "than left unthrottled; retry after Retry-After."
    )


ERRORS = (
    UsersRegistrationClosed,
    UsersUserNotFound,
    UsersEmailTaken,
    UsersLastAdministrator,
    UsersWrongPassword,
    UsersUnknownRole,
    UsersInvalidCursor,
    EmailNotVerified,
    InvalidVerificationToken,
    InvalidResetToken,
    MailThrottled,
    ThrottleUnavailable,
)
