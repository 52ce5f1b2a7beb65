"""A periodic job: what a module declares in its record (``Module(jobs=[...])``)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.db.uow import UnitOfWork

# `<module>.<snake_case>`, like error codes and event names.
JOB_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}\.[a-z][a-z0-9_]{0,79}$")


@dataclass(frozen=True, slots=True)
class Job:
    """Runs ``run(uow, settings)`` every ``every`` in a Unit of Work of its own (which commits when
    it returns); ``settings`` is the module's validated settings (``None`` if it has none; the
    kernel's own jobs get the kernel's settings).

    Every worker schedules it; on PostgreSQL one run at a time holds the job's advisory lock and
    the others skip that turn, so N workers do not do the same work N times. A run must be safe
    to repeat (pruning, expiring), since SQLite deployments and a lost lock may run it twice.
    """

    name: str
    every: timedelta
    run: Callable[[UnitOfWork, Any], Awaitable[object]]
