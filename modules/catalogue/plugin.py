"""Hook implementations of the catalogue module: how the kernel learns what it brings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import click
from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import MetaData

from core import MigrationBranch, ModuleInfo, hookimpl
from core.errors import MosaicError
from modules.catalogue.cli import catalogue_cli
from modules.catalogue.config import CatalogueSettings
from modules.catalogue.dependencies import WRITE
from modules.catalogue.errors import ERRORS
from modules.catalogue.models import Base
from modules.catalogue.router import router

VERSION = "0.1.0"


@hookimpl
def mosaic_describe_module() -> ModuleInfo:
    return ModuleInfo(
        "catalogue",
        VERSION,
        "Catalogue: categories, products, tags, stock and bulk import.",
    )


@hookimpl
def mosaic_register_settings() -> type[BaseModel]:
    return CatalogueSettings


@hookimpl
def mosaic_register_routers() -> Sequence[APIRouter]:
    return [router]


@hookimpl
def mosaic_register_errors() -> Sequence[type[MosaicError]]:
    return ERRORS


@hookimpl
def mosaic_register_permissions() -> Mapping[str, str]:
    return {
        WRITE: "See products of every status; create, change, archive, delete and import "
        "products, categories and tags."
    }


@hookimpl
def mosaic_register_models() -> MetaData:
    return Base.metadata


@hookimpl
def mosaic_register_migrations() -> MigrationBranch:
    return MigrationBranch("catalogue", Path(__file__).parent / "migrations" / "versions")


@hookimpl
def mosaic_register_commands() -> Sequence[click.Command]:
    return [catalogue_cli]
