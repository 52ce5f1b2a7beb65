"""A database outage logged once, from its first failed request to its first good connection.

During an outage every request fails the same way; logging each one buries the cause under
copies of it. The first failure is logged at ERROR with its cause, the later ones at DEBUG, and
the first connection the pool hands out afterwards (checked with a ping on PostgreSQL) closes
the outage with one line saying how long it lasted and how many requests it cost. Each worker
process keeps its own count.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

logger = logging.getLogger("mosaic.database")


class Outage:
    """Whether the database is currently unreachable, as requests found it."""

    def __init__(self) -> None:
        self.started: float | None = None
        self.failures = 0

    @property
    def ongoing(self) -> bool:
        """Whether a request failed to reach the database and none has reached it since."""
        return self.started is not None

    def failed(self, cause: BaseException, *, where: str) -> None:
        """Records a request (``where``: its method and path) that could not reach the database."""
        self.failures += 1
        if self.started is not None:
            logger.debug("database still unreachable in %s: %r", where, cause)
            return
        self.started = time.monotonic()
        logger.error(
            "database unreachable, first in %s: %r; requests answer 503 until it is back "
            "(each one logged at DEBUG)",
            where,
            cause,
        )

    def reached(self) -> None:
        """Records a connection to the database that works; ends the outage if there is one."""
        if self.started is None:
            return
        seconds = time.monotonic() - self.started
        logger.warning(
            "database reachable again after %.1f s; %d requests answered 503 meanwhile",
            seconds,
            self.failures,
        )
        self.started = None
        self.failures = 0

    def watch(self, engine: AsyncEngine) -> None:
        """Ends the outage on the first connection ``engine``'s pool hands out after it."""

        def on_checkout(*_: Any) -> None:
            if self.started is not None:
                self.reached()

        event.listen(engine.sync_engine, "checkout", on_checkout)
