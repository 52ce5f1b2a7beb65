"""Throttling of the mails anyone may ask for (verification, password reset), on the kernel's
rate limiter: per address asked for, and per client address, each counted before anything else
is done, so concurrent requests cannot slip past the limit.

The count is per address asked for, known or not, so the answer (429 or 202) tells nothing about
which addresses have accounts. When the shared store (Redis) cannot be reached, the requests
fail closed with 503 and ``Retry-After`` rather than run unthrottled.
"""

from __future__ import annotations

from core import Limit, RateLimiter, RateLimiterDown
from modules.users.errors import MailThrottled, ThrottleUnavailable

NAMESPACE = "mosaic-users"
# Seconds a client is asked to wait when the shared store is down: long enough not to hammer it.
STORE_DOWN_RETRY_AFTER = 5


async def reserve_mail(
    limiter: RateLimiter,
    *,
    kind: str,
    email: str,
    client: str,
    per_account: str,
    per_address: str,
) -> None:
    """Counts one request of ``kind`` for ``email`` from ``client``; raises
    ``users.mail_throttled`` (429) past either rate, ``users.throttle_unavailable`` (503) when
    the store cannot be reached."""
    try:
        wait = await limiter.reserve(
            Limit(NAMESPACE, f"{kind}:account", email, per_account),
            Limit(NAMESPACE, f"{kind}:address", client, per_address),
        )
    except RateLimiterDown:
        raise ThrottleUnavailable(
            "Mail requests are paused while the throttle's store is unreachable; retry shortly.",
            retry_after=STORE_DOWN_RETRY_AFTER,
        ) from None
    if wait is not None:
        raise MailThrottled("Too many requests for this mail; try again later.", retry_after=wait)
