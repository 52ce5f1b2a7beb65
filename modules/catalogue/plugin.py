"""The catalogue module's record: how the kernel learns what it brings."""

from __future__ import annotations

from pathlib import Path

from core import Module, hookimpl
from modules.catalogue.admin import ADMIN_VIEWS
from modules.catalogue.cli import catalogue_cli
from modules.catalogue.config import CatalogueSettings
from modules.catalogue.dependencies import WRITE
from modules.catalogue.errors import ERRORS
from modules.catalogue.events import EVENTS
from modules.catalogue.models import Base
from modules.catalogue.router import router


@hookimpl
def mosaic_describe_module() -> Module:
    return Module(
        name="catalogue",
        version="0.1.0",
        description="Catalogue: categories, products, tags, stock and bulk import.",
        settings=CatalogueSettings,
        routers=[router],
        errors=ERRORS,
        permissions={
            WRITE: "See products of every status; create, change, archive, delete and import "
            "products, categories and tags."
        },
        models=Base.metadata,
        migrations=Path(__file__).parent / "migrations" / "versions",
        events=EVENTS,
        commands=[catalogue_cli],
        admin=ADMIN_VIEWS,
    )
