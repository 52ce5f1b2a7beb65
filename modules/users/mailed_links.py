"""The one flow both mailed links follow: asked for, mailed after commit, followed once.

Asking for a link (:data:`VERIFY_EMAIL`, :data:`PASSWORD_RESET`) is throttled per address and
per client, then only publishes the link's event with the address, the page the link opens and
when it expires, so the answer is the same whether or not an account has the address. After
commit the module's listener finds the active account (:func:`addressee`) and mails it a
single-use token (:func:`mail_link`); following the link consumes the token (:func:`follow`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from core import Delivery, RateLimiter, utcnow
from core.db import UnitOfWork
from modules.users import repository, tokens
from modules.users.config import UsersSettings
from modules.users.events import PasswordResetRequested, VerificationRequested
from modules.users.models import User
from modules.users.throttle import reserve_mail

Requested = VerificationRequested | PasswordResetRequested
Asked = TypeVar("Asked", VerificationRequested, PasswordResetRequested)


@dataclass(frozen=True, slots=True)
class Link:
    """One kind of mailed link: what its token is for, the throttle counting the requests for
    it, its mail template and the event that asks for it."""

    purpose: tokens.Purpose
    throttle: str
    template: str
    requested: type[Requested]


VERIFY_EMAIL = Link(
    tokens.VERIFY_EMAIL, "verification", "users/verify_email", VerificationRequested
)
PASSWORD_RESET = Link(
    tokens.PASSWORD_RESET, "password_reset", "users/password_reset", PasswordResetRequested
)


@dataclass(frozen=True, slots=True)
class Bounds:
    """What the settings say of one kind of link."""

    page: str
    ttl: int
    per_account: str
    per_address: str


def bounds(link: Link, settings: UsersSettings) -> Bounds:
    """Returns the page ``link`` opens, its lifetime in seconds, and the rates it may be asked
    for at, per address and per client."""
    if link is VERIFY_EMAIL:
        return Bounds(
            settings.verify_email_url,
            settings.verification_token_ttl,
            settings.verification_mails_per_account,
            settings.verification_mails_per_address,
        )
    return Bounds(
        settings.password_reset_url,
        settings.password_reset_token_ttl,
        settings.password_resets_per_account,
        settings.password_resets_per_address,
    )


def expiry(link: Link, settings: UsersSettings) -> datetime:
    """Returns when a ``link`` mailed now stops working."""
    return utcnow() + timedelta(seconds=bounds(link, settings).ttl)


async def request_link(
    uow: UnitOfWork,
    link: Link,
    *,
    email: str,
    client: str,
    limiter: RateLimiter,
    settings: UsersSettings,
) -> None:
    """Counts one request for ``link`` to ``email`` from ``client`` (``users.mail_throttled``
    past either rate) and publishes its event for the listener to act on after commit."""
    limits = bounds(link, settings)
    await reserve_mail(
        limiter,
        kind=link.throttle,
        email=email,
        client=client,
        per_account=limits.per_account,
        per_address=limits.per_address,
    )
    event = link.requested(email=email, page=limits.page, expires_at=expiry(link, settings))
    await uow.publish(event)


async def addressee(
    delivery: Delivery[VerificationRequested] | Delivery[PasswordResetRequested],
) -> User | None:
    """Returns the active account that has the address a link was asked for, or ``None`` when
    none has it or the request arrives after the link would have expired."""
    event = delivery.event
    if event.expires_at <= utcnow():
        return None  # delivered too late: the link would be dead on arrival
    user = await repository.by_email(delivery.uow.session, email=event.email)
    return user if user is not None and user.is_active else None


async def mail_link(
    uow: UnitOfWork, link: Link, *, user: User, page: str, expires_at: datetime
) -> None:
    """Mails ``user`` a ``link`` to ``page`` holding a new single-use token, after commit."""
    token = await tokens.issue(uow, user=user, purpose=link.purpose, expires_at=expires_at)
    await uow.send_mail(
        to=user.email,
        template=link.template,
        context={
            "link": tokens.link(page, token),
            "email": user.email,
            "display_name": user.display_name,
            "expires_at": expires_at,
        },
    )


async def follow(uow: UnitOfWork, link: Link, *, token: str) -> User | None:
    """Consumes ``token`` and returns the account it was mailed to, or ``None`` when the token
    is unknown, expired or used, or the account no longer has the address it was mailed to."""
    consumed = await tokens.consume(uow, token=token, purpose=link.purpose)
    user = await repository.get(uow.session, user_id=consumed.user_id) if consumed else None
    if consumed is None or user is None or user.email != consumed.email:
        return None
    return user
