"""Login throttling per account and per client address, shared through Redis when configured.

Every attempt is counted *before* its password is checked, with the limiter's atomic ``hit``:
N concurrent guesses check at most the limit's number of passwords, however they interleave
(checking first and counting the failure afterwards let every concurrent guess through). A
correct password then forgets the account's count, so an owner who mistypes is not locked out
by their own success; the address keeps its count, which caps spraying many accounts from one
place.

When the shared store (Redis) cannot be reached, logins fail closed with 503 and
``Retry-After``: falling back to a per-process count would multiply the limits by the number of
workers without anyone noticing.
"""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string

from modules.auth.config import AuthSettings
from modules.auth.errors import LoginUnavailable

NAMESPACE = "mosaic-login"
# Seconds a client is asked to wait when the shared store is down: long enough not to hammer it.
STORE_DOWN_RETRY_AFTER = 5

logger = logging.getLogger("mosaic.auth")


class LoginThrottle:
    """Reserves login attempts; :meth:`reserve` says how long a blocked caller must wait."""

    def __init__(self, settings: AuthSettings, redis_url: str | None) -> None:
        uri = f"async+{redis_url}" if redis_url else "async+memory://"
        storage = storage_from_string(uri, wrap_exceptions=True)
        assert isinstance(storage, Storage)
        self._limiter = MovingWindowRateLimiter(storage)
        self._per_account = parse(settings.login_attempts_per_account)
        self._per_address = parse(settings.login_attempts_per_address)

    async def reserve(self, *, account: str, address: str) -> int | None:
        """Counts one attempt against the account, then the address; returns ``None`` when the
        password may be checked, else the seconds until the caller may try again (the attempt
        is then not counted against the limit that refused it)."""
        limits: list[tuple[RateLimitItem, str, str]] = [
            (self._per_account, "account", account),
            (self._per_address, "address", address),
        ]
        try:
            for item, kind, key in limits:
                if not await self._limiter.hit(item, NAMESPACE, kind, key):
                    stats = await self._limiter.get_window_stats(item, NAMESPACE, kind, key)
                    return max(1, math.ceil(stats.reset_time - time.time()))
        except StorageError:
            logger.exception("login throttle: the shared store cannot be reached")
            raise LoginUnavailable(
                "Logins are paused while the throttle's store is unreachable; retry shortly.",
                retry_after=STORE_DOWN_RETRY_AFTER,
            ) from None
        return None

    async def succeeded(self, *, account: str) -> None:
        """Forgets the account's attempts (the address keeps its count)."""
        try:
            await self._limiter.clear(self._per_account, NAMESPACE, "account", account)
        except StorageError:  # the login itself is sound; the count expires on its own
            logger.exception("login throttle: could not reset an account's count")
