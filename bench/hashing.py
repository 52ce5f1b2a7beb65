"""What one login costs by design: an argon2id verification with the users module's defaults."""

from __future__ import annotations

import asyncio
import statistics
import time

from bench.config import ADMIN_PASSWORD
from modules.users.config import UsersSettings
from modules.users.passwords import Passwords

RUNS = 5


def verification_ms() -> float:
    """Median wall time of one verification (``[modules.users]`` defaults), in milliseconds."""
    settings = UsersSettings()
    passwords = Passwords(
        memory_cost=settings.argon2_memory_cost,
        time_cost=settings.argon2_time_cost,
        parallelism=settings.argon2_parallelism,
    )
    return asyncio.run(_median(passwords))


async def _median(passwords: Passwords) -> float:
    encoded = await passwords.hash(ADMIN_PASSWORD)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        matches, _ = await passwords.verify(ADMIN_PASSWORD, encoded)
        timings.append((time.perf_counter() - started) * 1000)
        assert matches
    return statistics.median(timings)
