"""The kernel's own contribution, made through the same hooks as any module."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from fastapi import APIRouter
from sqlalchemy import MetaData

from core.auth.errors import InsufficientScope, InvalidToken
from core.db.kernel_tables import KernelBase
from core.errors.exceptions import MosaicError
from core.errors.kernel_errors import KERNEL_ERRORS
from core.errors.router import ErrorCodeNotFound
from core.errors.router import router as errors_router
from core.events.pruning import prune_publications
from core.hookspecs import hookimpl
from core.idempotency.errors import IDEMPOTENCY_ERRORS
from core.idempotency.pruning import prune_idempotency_keys
from core.jobs.job import Job
from core.module import MigrationBranch, ModuleInfo

NAME = "core"
VERSION = "0.1.0"


@hookimpl
def mosaic_describe_module() -> ModuleInfo:
    return ModuleInfo(
        NAME,
        VERSION,
        "The Mosaic kernel: error catalogue, protocol errors, event registry, idempotency keys.",
    )


@hookimpl
def mosaic_register_routers() -> Sequence[APIRouter]:
    return [errors_router]


@hookimpl
def mosaic_register_errors() -> Sequence[type[MosaicError]]:
    return [
        *KERNEL_ERRORS,
        ErrorCodeNotFound,
        InvalidToken,
        InsufficientScope,
        *IDEMPOTENCY_ERRORS,
    ]


@hookimpl
def mosaic_register_models() -> MetaData:
    # Every kernel table (events, idempotency keys) is imported by now, through the jobs below.
    return KernelBase.metadata


@hookimpl
def mosaic_register_migrations() -> MigrationBranch:
    return MigrationBranch(NAME, Path(__file__).parent.parent / "db" / "versions")


@hookimpl
def mosaic_register_jobs() -> Sequence[Job]:
    return [
        Job("core.prune_publications", timedelta(hours=1), prune_publications),
        Job("core.prune_idempotency_keys", timedelta(hours=1), prune_idempotency_keys),
    ]
