"""Email verification: a link mailed at registration (and on request), followed once.

The mail holds a single-use token (see :mod:`modules.users.tokens`); ``POST /users/verify`` with
it marks the account's email verified. Asking for a new mail
(``POST /users/verify/resend``) is answered the same way whether or not an account has the
address: the request only publishes :class:`VerificationRequested`, and the module's own
listener decides after commit whether there is anyone to mail. The flow is the one every mailed
link follows (:mod:`modules.users.mailed_links`).
"""

from __future__ import annotations

from core import Delivery, utcnow
from core.db import UnitOfWork
from modules.users.config import UsersSettings
from modules.users.errors import InvalidVerificationToken
from modules.users.events import VerificationRequested
from modules.users.mailed_links import VERIFY_EMAIL, addressee, bounds, expiry, follow, mail_link
from modules.users.models import User


async def send_verification(uow: UnitOfWork, *, user: User, settings: UsersSettings) -> None:
    """Mails ``user`` a verification link for their current email, after commit."""
    page, expires_at = bounds(VERIFY_EMAIL, settings).page, expiry(VERIFY_EMAIL, settings)
    await mail_link(uow, VERIFY_EMAIL, user=user, page=page, expires_at=expires_at)


async def verify_email(uow: UnitOfWork, *, token: str) -> None:
    """Marks the email the token was mailed to verified; raises
    ``users.invalid_verification_token`` when the token is unknown, expired, already used, or
    the account's email is no longer the one it was mailed to."""
    user = await follow(uow, VERIFY_EMAIL, token=token)
    if user is None:
        raise InvalidVerificationToken("This verification link is not valid (any more).")
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    await uow.session.flush()


async def mail_requested_verification(delivery: Delivery[VerificationRequested]) -> None:
    """Listener: mails a verification link when an active account has the address unverified;
    does nothing otherwise (and nobody learns which)."""
    user, event = await addressee(delivery), delivery.event
    if user is not None and not user.email_verified:
        await mail_link(
            delivery.uow, VERIFY_EMAIL, user=user, page=event.page, expires_at=event.expires_at
        )
