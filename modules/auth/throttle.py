"""Login throttling per account and per client address, on the kernel's rate limiter.

Every attempt is reserved *before* its password is checked (see :mod:`core.ratelimit`), so N
concurrent guesses check at most the limit's number of passwords. A correct password then
forgets the account's count, so an owner who mistypes is not locked out by their own success;
the address keeps its count, which caps spraying many accounts from one place.

When the shared store (Redis) cannot be reached, logins fail closed with 503 and
``Retry-After``: falling back to a per-process count would multiply the limits by the number of
workers without anyone noticing.
"""

from __future__ import annotations

from core import Limit, RateLimiter, RateLimiterDown
from modules.auth.config import AuthSettings
from modules.auth.errors import LoginUnavailable

NAMESPACE = "mosaic-login"
# Seconds a client is asked to wait when the shared store is down: long enough not to hammer it.
STORE_DOWN_RETRY_AFTER = 5


class LoginThrottle:
    """Reserves login attempts; :meth:`reserve` says how long a blocked caller must wait."""

    def __init__(self, settings: AuthSettings, limiter: RateLimiter) -> None:
        self._limiter = limiter
        self._per_account = settings.login_attempts_per_account
        self._per_address = settings.login_attempts_per_address

    async def reserve(self, *, account: str, address: str) -> int | None:
        """Counts one attempt against the account, then the address; returns ``None`` when the
        password may be checked, else the seconds until the caller may try again (the attempt
        is then not counted against the limit that refused it)."""
        try:
            return await self._limiter.reserve(
                self._account(account),
                Limit(NAMESPACE, "address", address, self._per_address),
            )
        except RateLimiterDown:
            raise LoginUnavailable(
                "Logins are paused while the throttle's store is unreachable; retry shortly.",
                retry_after=STORE_DOWN_RETRY_AFTER,
            ) from None

    async def succeeded(self, *, account: str) -> None:
        """Forgets the account's attempts (the address keeps its count)."""
        await self._limiter.forget(self._account(account))

    def _account(self, account: str) -> Limit:
        return Limit(NAMESPACE, "account", account, self._per_account)
