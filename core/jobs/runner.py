"""Runs the enabled modules' periodic jobs in the background of each worker."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, select

from core.db.uow import UnitOfWork
from core.jobs.job import Job

logger = logging.getLogger("mosaic.jobs")


class JobRunner:
    """One background task per job: a first run after a random part of the period (so workers
    started together spread out), then one run per period."""

    def __init__(
        self,
        jobs: Sequence[Job],
        unit_of_work: Callable[[], UnitOfWork],
        settings: Mapping[str, Any],
    ) -> None:
        self.jobs = tuple(jobs)
        self.unit_of_work = unit_of_work
        self._settings = settings  # by job name
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        """Schedules every job until :meth:`stop`."""
        self._tasks = [
            asyncio.create_task(self._schedule(job), name=f"mosaic-job-{job.name}")
            for job in self.jobs
        ]

    async def stop(self) -> None:
        """Cancels the schedules (a run in progress is rolled back)."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def run_once(self, job: Job) -> bool:
        """Runs ``job`` now unless another worker is running it; returns whether it ran."""
        async with self.unit_of_work() as uow:
            if not await _try_lock(uow, job.name):
                return False
            await job.run(uow, self._settings.get(job.name))
        return True

    async def _schedule(self, job: Job) -> None:
        period = job.every.total_seconds()
        await asyncio.sleep(random.uniform(0, period))  # noqa: S311 - spreading, not secrecy
        while True:
            try:
                await self.run_once(job)
            except Exception:
                logger.exception("job %s failed; it runs again in %s", job.name, job.every)
            await asyncio.sleep(period)


async def _try_lock(uow: UnitOfWork, name: str) -> bool:
    connection = await uow.session.connection()
    if connection.dialect.name != "postgresql":
        return True
    digest = hashlib.blake2b(f"mosaic.job:{name}".encode(), digest_size=8).digest()
    key = int.from_bytes(digest, signed=True)
    return bool(await uow.session.scalar(select(func.pg_try_advisory_xact_lock(key))))
