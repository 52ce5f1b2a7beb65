"""A module whose table references another module's table: its branch depends on notes."""

from __future__ import annotations

from pathlib import Path

from core import Module, hookimpl
from tests.fixture_modules.pins.models import Base


@hookimpl
def mosaic_describe_module() -> Module:
    return Module(
        name="pins",
        version="0.1.0",
        description="Pins on notes.",
        depends_on=["notes"],
        models=Base.metadata,
        migrations=Path(__file__).parent / "migrations" / "versions",
    )
