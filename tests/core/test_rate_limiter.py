"""The kernel's rate limiter: attempts reserved atomically, a wait when refused, fail closed."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import BaseModel, ValidationError

from core import Limit, Rate, RateLimiter, RateLimiterDown


def _limit(key: str = "ada@example.com", rate: str = "3/minute") -> Limit:
    return Limit("tests", "account", key, rate)


async def test_a_limit_lets_its_number_through_then_says_how_long_to_wait():
    limiter = RateLimiter(None)

    answers = [await limiter.reserve(_limit()) for _ in range(4)]

    assert answers[:3] == [None, None, None]
    assert answers[3] is not None and 1 <= answers[3] <= 60
    assert await limiter.reserve(_limit("bob@example.com")) is None


async def test_concurrent_reservations_never_exceed_the_limit():
    limiter = RateLimiter(None)

    answers = await asyncio.gather(*(limiter.reserve(_limit()) for _ in range(20)))

    assert answers.count(None) == 3


async def test_the_first_refusing_limit_stops_the_count():
    limiter = RateLimiter(None)
    account, address = _limit(rate="1/minute"), Limit("tests", "address", "192.0.2.1", "2/minute")

    assert await limiter.reserve(account, address) is None
    assert await limiter.reserve(account, address) is not None
    # The refused attempt was not counted against the address.
    assert await limiter.reserve(_limit("other"), address) is None


async def test_forget_clears_a_count():
    limiter = RateLimiter(None)
    for _ in range(3):
        await limiter.reserve(_limit())

    await limiter.forget(_limit())

    assert await limiter.reserve(_limit()) is None


async def test_an_unreachable_store_fails_closed():
    limiter = RateLimiter("redis://127.0.0.1:1/0")

    with pytest.raises(RateLimiterDown):
        await limiter.reserve(_limit())
    await limiter.forget(_limit())  # logged, not raised


def test_a_rate_setting_is_checked_at_start():
    class Settings(BaseModel):
        rate: Rate = "5/15 minutes"

    assert Settings(rate="3/hour").rate == "3/hour"
    with pytest.raises(ValidationError, match="is not a rate such as"):
        Settings(rate="often")
