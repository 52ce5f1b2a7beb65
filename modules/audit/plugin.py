"""Hook implementations of the audit module."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from fastapi import APIRouter
from sqlalchemy import MetaData

from core import Event, Listener, MigrationBranch, ModuleInfo, hookimpl
from core.errors import MosaicError
from modules.audit.errors import ERRORS
from modules.audit.models import Base
from modules.audit.router import READ, router
from modules.audit.service import record

VERSION = "0.1.0"


@hookimpl
def mosaic_describe_module() -> ModuleInfo:
    return ModuleInfo("audit", VERSION, "Audit trail: every event, who caused it and when.")


@hookimpl
def mosaic_register_routers() -> Sequence[APIRouter]:
    return [router]


@hookimpl
def mosaic_register_errors() -> Sequence[type[MosaicError]]:
    return ERRORS


@hookimpl
def mosaic_register_permissions() -> Mapping[str, str]:
    return {READ: "Read the audit trail."}


@hookimpl
def mosaic_register_models() -> MetaData:
    return Base.metadata


@hookimpl
def mosaic_register_migrations() -> MigrationBranch:
    return MigrationBranch("audit", Path(__file__).parent / "migrations" / "versions")


@hookimpl
def mosaic_register_listeners() -> Sequence[Listener]:
    # After commit: the trail must never fail or slow down the request it records.
    return [Listener(Event, record, name="audit.record")]
