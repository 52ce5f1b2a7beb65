"""Hook implementations of the bookmarks module: how the kernel learns what it brings."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import MetaData

from core import MigrationBranch, ModuleInfo, hookimpl
from core.errors import MosaicError
from mosaic_bookmarks.config import BookmarksSettings
from mosaic_bookmarks.errors import ERRORS
from mosaic_bookmarks.models import Base
from mosaic_bookmarks.router import router

VERSION = "0.1.0"


@hookimpl
def mosaic_describe_module() -> ModuleInfo:
    return ModuleInfo(
        "bookmarks", VERSION, "Bookmarks: an example module shipped as its own distribution."
    )


@hookimpl
def mosaic_register_settings() -> type[BaseModel]:
    return BookmarksSettings


@hookimpl
def mosaic_register_routers() -> Sequence[APIRouter]:
    return [router]


@hookimpl
def mosaic_register_errors() -> Sequence[type[MosaicError]]:
    return ERRORS


@hookimpl
def mosaic_register_models() -> MetaData:
    return Base.metadata


@hookimpl
def mosaic_register_migrations() -> MigrationBranch:
    return MigrationBranch("bookmarks", Path(__file__).parent / "migrations" / "versions")
