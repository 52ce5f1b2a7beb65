"""Password reset: a link mailed on request, followed once to set a new password.

``POST /users/password-reset`` answers 202 with the same body whether or not an account has the
address, after the same work: the request only publishes :class:`PasswordResetRequested`, and
the module's own listener decides after commit whether there is anyone to mail. Following the
link (``POST /users/password-reset/confirm``) consumes its single-use token and sets the
password the way a password change does, so every session of the account ends. The flow is the
one every mailed link follows (:mod:`modules.users.mailed_links`).
"""

from __future__ import annotations

from core import Delivery, utcnow
from core.db import UnitOfWork
from modules.users import repository, service, tokens
from modules.users.errors import InvalidResetToken
from modules.users.events import PasswordResetRequested
from modules.users.mailed_links import PASSWORD_RESET, addressee, follow, mail_link
from modules.users.passwords import Passwords


async def mail_requested_reset(delivery: Delivery[PasswordResetRequested]) -> None:
    """Listener: mails a password reset link when an active account has the address; does
    nothing otherwise (and nobody learns which)."""
    user, event = await addressee(delivery), delivery.event
    if user is not None:
        await mail_link(
            delivery.uow, PASSWORD_RESET, user=user, page=event.page, expires_at=event.expires_at
        )


async def reset_password(
    uow: UnitOfWork, *, token: str, new_password: str, passwords: Passwords
) -> None:
    """Sets the password of the account the token was mailed to and ends all its sessions;
    raises ``users.invalid_reset_token`` when the token is unknown, expired or already used,
    or the account is inactive or no longer has the email it was mailed to."""
    user = await follow(uow, PASSWORD_RESET, token=token)
    if user is None or not user.is_active:
        raise InvalidResetToken("This password reset link is not valid (any more).")
    now = utcnow()
    # The link reached the address, which proves it as well as a verification link would.
    if user.email_verified_at is None:
        user.email_verified_at = now
    # Links mailed before this one die with the old password.
    await repository.retire_tokens(
        uow.session, user_id=user.id, purpose=tokens.PASSWORD_RESET, now=now
    )
    await service.set_password(uow, user=user, new_password=new_password, passwords=passwords)
