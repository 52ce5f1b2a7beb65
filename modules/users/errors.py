"""Errors of the users module, each bound to a stable code.

::

    BadRequest           InvalidVerificationToken  users.invalid_verification_token
                         InvalidResetToken         users.invalid_reset_token
    Forbidden            RegistrationClosed        users.registration_closed
                         EmailNotVerified          users.email_not_verified
    NotFound             UserNotFound              users.user_not_found
    Conflict             EmailTaken                users.email_taken
                         LastAdministrator         users.last_administrator
    UnprocessableContent WrongPassword             users.wrong_password
                         UnknownRole               users.unknown_role
    TooManyRequests      MailThrottled             users.mail_throttled
    Unavailable          ThrottleUnavailable       users.throttle_unavailable

The admin listing refuses a foreign cursor with the kernel's ``core.invalid_cursor``.
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
    RegistrationClosed,
    UserNotFound,
    EmailTaken,
    LastAdministrator,
    WrongPassword,
    UnknownRole,
    EmailNotVerified,
    InvalidVerificationToken,
    InvalidResetToken,
    MailThrottled,
    ThrottleUnavailable,
)
