"""The rate limiter modules throttle with: one per application, in memory or in Redis.

A module reserves an attempt before doing the work it limits, with the limiter's atomic ``hit``:
N concurrent requests get through at most the limit's number of times, however they interleave
(checking first and counting afterwards let every concurrent request through). Counts live in
the process, or in Redis when ``MOSAIC_REDIS_URL`` is set, so every worker shares them.

When Redis cannot be reached, :meth:`RateLimiter.reserve` raises :class:`RateLimiterDown`: the
caller refuses the request (fails closed) rather than counting per process, which would multiply
every limit by the number of workers without anyone noticing.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from typing import Annotated

from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string
from pydantic import AfterValidator, Field

logger = logging.getLogger("mosaic.ratelimit")


def _rate(value: str) -> str:
    try:
        parse(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a rate such as '5/15 minutes'") from None
    return value


# A rate in a module's settings, such as "5/15 minutes" or "3/hour"; refused at start otherwise.
Rate = Annotated[str, Field(max_length=100), AfterValidator(_rate)]


class RateLimiterDown(Exception):
    """The shared store (Redis) cannot be reached: nothing can be counted."""


@dataclass(frozen=True, slots=True)
class Limit:
    """``rate`` (``"5/15 minutes"``) for one ``key`` of one ``kind`` (``"account"``,
    ``"address"``) in a module's ``namespace``."""

    namespace: str
    kind: str
    key: str
    rate: str

    @property
    def item(self) -> RateLimitItem:
        return parse(self.rate)


class RateLimiter:
    """Counts attempts against :class:`Limit` s; the application has one (``kernel.rate_limiter``)
    so every request of a worker, or of every worker through Redis, counts in the same place."""

    def __init__(self, redis_url: str | None) -> None:
        uri = f"async+{redis_url}" if redis_url else "async+memory://"
        storage = storage_from_string(uri, wrap_exceptions=True)
        assert isinstance(storage, Storage)
        self._limiter = MovingWindowRateLimiter(storage)

    async def reserve(self, *limits: Limit) -> int | None:
        """Counts one attempt against each limit in turn; returns ``None`` when every limit let
        it through, else the seconds until the first one that refused will let the caller in
        (the attempt is not counted against that limit, nor those after it). Raises
        :class:`RateLimiterDown` when the store cannot be reached."""
        try:
            for limit in limits:
                item = limit.item
                if not await self._limiter.hit(item, limit.namespace, limit.kind, limit.key):
                    stats = await self._limiter.get_window_stats(
                        item, limit.namespace, limit.kind, limit.key
                    )
                    return max(1, math.ceil(stats.reset_time - time.time()))
        except StorageError as exc:
            logger.exception("rate limiter: the shared store cannot be reached")
            raise RateLimiterDown(str(exc)) from None
        return None

    async def forget(self, limit: Limit) -> None:
        """Forgets the attempts counted against ``limit``; a store that cannot be reached is
        logged, not raised (the count then expires on its own)."""
        try:
            await self._limiter.clear(limit.item, limit.namespace, limit.kind, limit.key)
        except StorageError:
            logger.exception("rate limiter: could not reset a count")
