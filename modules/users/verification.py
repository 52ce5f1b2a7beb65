"""Email verification: a link mailed at registration (and on request), followed once.

The mail holds a single-use token (see :mod:`modules.users.tokens`); ``POST /users/verify`` with
it marks the account's email verified. Asking for a new mail
(``POST /users/verify/resend``) is answered the same way whether or not an account has the
address: the request only publishes :class:`VerificationRequested`, and the module's own
listener decides after commit whether there is anyone to mail.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core import Delivery, RateLimiter, utcnow
from core.db import UnitOfWork
from modules.users import repository, tokens
from modules.users.config import UsersSettings
from modules.users.errors import InvalidVerificationToken
from modules.users.events import VerificationRequested
from modules.users.models import User
from modules.users.throttle import reserve_mail

TEMPLATE = "users/verify_email"


async def send_verification(uow: UnitOfWork, *, user: User, settings: UsersSettings) -> None:
    """Mails ``user`` a verification link for their current email, after commit."""
    expires_at = utcnow() + timedelta(seconds=settings.verification_token_ttl)
    await _mail(uow, user=user, page=settings.verify_email_url, expires_at=expires_at)


async def verify_email(uow: UnitOfWork, *, token: str) -> None:
    """Marks the email the token was mailed to verified; raises
    ``users.invalid_verification_token`` when the token is unknown, expired, already used, or
    the account's email is no longer the one it was mailed to."""
    consumed = await tokens.consume(uow, token=token, purpose=tokens.VERIFY_EMAIL)
    user = await repository.get(uow.session, user_id=consumed.user_id) if consumed else None
    if consumed is None or user is None or user.email != consumed.email:
        raise InvalidVerificationToken("This verification link is not valid (any more).")
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    await uow.session.flush()


async def request_verification(
    uow: UnitOfWork, *, email: str, client: str, limiter: RateLimiter, settings: UsersSettings
) -> None:
    """Asks for a new verification mail to ``email``, throttled per address and per client;
    whether one is sent is decided after commit (:func:`mail_requested_verification`)."""
    await reserve_mail(
        limiter,
        kind="verification",
        email=email,
        client=client,
        per_account=settings.verification_mails_per_account,
        per_address=settings.verification_mails_per_address,
    )
    expires_at = utcnow() + timedelta(seconds=settings.verification_token_ttl)
    await uow.publish(
        VerificationRequested(email=email, page=settings.verify_email_url, expires_at=expires_at)
    )


async def mail_requested_verification(delivery: Delivery[VerificationRequested]) -> None:
    """Listener: mails a verification link when an active account has the address unverified;
    does nothing otherwise (and nobody learns which)."""
    event, uow = delivery.event, delivery.uow
    if event.expires_at <= utcnow():
        return  # delivered too late: the link would be dead on arrival
    user = await repository.by_email(uow.session, email=event.email)
    if user is None or not user.is_active or user.email_verified:
        return
    await _mail(uow, user=user, page=event.page, expires_at=event.expires_at)


async def _mail(uow: UnitOfWork, *, user: User, page: str, expires_at: datetime) -> None:
    token = await tokens.issue(uow, user=user, purpose=tokens.VERIFY_EMAIL, expires_at=expires_at)
    await uow.send_mail(
        to=user.email,
        template=TEMPLATE,
        context={
            "link": tokens.link(page, token),
            "email": user.email,
            "display_name": user.display_name,
            "expires_at": expires_at,
        },
    )
