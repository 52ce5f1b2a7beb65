"""A module whose table references another module's table: its branch depends on notes."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import MetaData

from core import MigrationBranch, ModuleInfo, hookimpl
from tests.fixture_modules.pins.models import Base


@hookimpl
def mosaic_describe_module() -> ModuleInfo:
    return ModuleInfo("pins", "0.1.0", "Pins on notes.", depends_on=("notes",))


@hookimpl
def mosaic_register_models() -> MetaData:
    return Base.metadata


@hookimpl
def mosaic_register_migrations() -> MigrationBranch:
    return MigrationBranch(
        "pins", Path(__file__).parent / "migrations" / "versions", depends_on=("notes",)
    )
