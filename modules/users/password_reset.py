"""Password reset: a link mailed on request, followed once to set a new password.

``POST /users/password-reset`` answers 202 with the same body whether or not an account has the
address, after the same work: the request only publishes :class:`PasswordResetRequested`, and
the module's own listener decides after commit whether there is anyone to mail. Following the
link (``POST /users/password-reset/confirm``) consumes its single-use token and sets the
password the way a password change does, so every session of the account ends.
"""

from __future__ import annotations

from datetime import timedelta

from core import Delivery, RateLimiter, utcnow
from core.db import UnitOfWork
from modules.users import repository, service, tokens
from modules.users.config import UsersSettings
from modules.users.errors import InvalidResetToken
from modules.users.events import PasswordResetRequested
from modules.users.passwords import Passwords
from modules.users.throttle import reserve_mail

TEMPLATE = "users/password_reset"


async def request_password_reset(
    uow: UnitOfWork, *, email: str, client: str, limiter: RateLimiter, settings: UsersSettings
) -> None:
    """Asks for a password reset mail to ``email``, throttled per address and per client;
    whether one is sent is decided after commit (:func:`mail_requested_reset`)."""
    await reserve_mail(
        limiter,
        kind="password_reset",
        email=email,
        client=client,
        per_account=settings.password_resets_per_account,
        per_address=settings.password_resets_per_address,
    )
    expires_at = utcnow() + timedelta(seconds=settings.password_reset_token_ttl)
    await uow.publish(
        PasswordResetRequested(email=email, page=settings.password_reset_url, expires_at=expires_at)
    )


async def mail_requested_reset(delivery: Delivery[PasswordResetRequested]) -> None:
    """Listener: mails a password reset link when an active account has the address; does
    nothing otherwise (and nobody learns which)."""
    event, uow = delivery.event, delivery.uow
    if event.expires_at <= utcnow():
        return  # delivered too late: the link would be dead on arrival
    user = await repository.by_email(uow.session, email=event.email)
    if user is None or not user.is_active:
        return
    token = await tokens.issue(
        uow, user=user, purpose=tokens.PASSWORD_RESET, expires_at=event.expires_at
    )
    await uow.send_mail(
        to=user.email,
        template=TEMPLATE,
        context={
            "link": tokens.link(event.page, token),
            "email": user.email,
            "display_name": user.display_name,
            "expires_at": event.expires_at,
        },
    )


async def reset_password(
    uow: UnitOfWork, *, token: str, new_password: str, passwords: Passwords
) -> None:
    """Sets the password of the account the token was mailed to and ends all its sessions;
    raises ``users.invalid_reset_token`` when the token is unknown, expired or already used,
    or the account is inactive or no longer has the email it was mailed to."""
    consumed = await tokens.consume(uow, token=token, purpose=tokens.PASSWORD_RESET)
    user = await repository.get(uow.session, user_id=consumed.user_id) if consumed else None
    if consumed is None or user is None or not user.is_active or user.email != consumed.email:
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
