"""The kernel's own contribution, made through the same hook as any module."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from core.auth.errors import InsufficientScope, InvalidToken
from core.db.kernel_tables import KernelBase
from core.errors.kernel_errors import KERNEL_ERRORS
from core.errors.router import ErrorCodeNotFound
from core.errors.router import router as errors_router
from core.events.pruning import prune_publications
from core.hookspecs import hookimpl
from core.idempotency.errors import IDEMPOTENCY_ERRORS
from core.idempotency.pruning import prune_idempotency_keys
from core.jobs.job import Job
from core.kernel.module import Module

NAME = "core"


@hookimpl
def mosaic_describe_module() -> Module:
    return Module(
        name=NAME,
        version="0.1.0",
        description="The Mosaic kernel: error catalogue, protocol errors, event registry, "
        "idempotency keys.",
        routers=[errors_router],
        errors=[
            *KERNEL_ERRORS,
            ErrorCodeNotFound,
            InvalidToken,
            InsufficientScope,
            *IDEMPOTENCY_ERRORS,
        ],
        # Every kernel table (events, idempotency keys) is imported by now, through the jobs.
        models=KernelBase.metadata,
        migrations=Path(__file__).parent.parent / "db" / "versions",
        jobs=[
            Job("core.prune_publications", timedelta(hours=1), prune_publications),
            Job("core.prune_idempotency_keys", timedelta(hours=1), prune_idempotency_keys),
        ],
    )
