"""Login throttling per account and per client address, shared through Redis when configured.

Only failures count: a user who types the right password is never slowed down by their own
successes, while guessing is capped per account (credential stuffing of one account) and per
address (spraying many accounts from one place).
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from modules.auth.config import AuthSettings

NAMESPACE = "mosaic-login"


class LoginThrottle:
    """Counts failed logins; :meth:`retry_after` says when a blocked caller may try again."""

    def __init__(self, settings: AuthSettings, redis_url: str | None) -> None:
        uri = f"async+{redis_url}" if redis_url else "async+memory://"
        storage = storage_from_string(uri)
        assert isinstance(storage, Storage)
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(storage)
        self._per_account = parse(settings.login_attempts_per_account)
        self._per_address = parse(settings.login_attempts_per_address)

    def _limits(self, account: str, address: str) -> list[tuple[RateLimitItem, str, str]]:
        return [
            (self._per_account, "account", account),
            (self._per_address, "address", address),
        ]

    async def retry_after(self, *, account: str, address: str) -> int | None:
        """Seconds until the caller may try again, or ``None`` when it is not blocked."""
        waits = []
        for item, kind, key in self._limits(account, address):
            if not await self._limiter.test(item, NAMESPACE, kind, key):
                stats = await self._limiter.get_window_stats(item, NAMESPACE, kind, key)
                waits.append(max(1, math.ceil(stats.reset_time - time.time())))
        return max(waits) if waits else None

    async def failed(self, *, account: str, address: str) -> None:
        """Records one failed attempt against the account and the address."""
        for item, kind, key in self._limits(account, address):
            await self._limiter.hit(item, NAMESPACE, kind, key)

    async def succeeded(self, *, account: str) -> None:
        """Forgets the account's failures (the address keeps its count)."""
        await self._limiter.clear(self._per_account, NAMESPACE, "account", account)
