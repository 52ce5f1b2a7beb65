"""The bookmarks module's record: how the kernel learns what it brings."""

from __future__ import annotations

from pathlib import Path

from core import Module, hookimpl
from mosaic_bookmarks.config import BookmarksSettings
from mosaic_bookmarks.errors import ERRORS
from mosaic_bookmarks.models import Base
from mosaic_bookmarks.router import router


@hookimpl
def mosaic_describe_module() -> Module:
    return Module(
        name="bookmarks",
        version="0.1.0",
        description="Bookmarks: an example module shipped as its own distribution.",
        settings=BookmarksSettings,
        routers=[router],
        errors=ERRORS,
        models=Base.metadata,
        migrations=Path(__file__).parent / "migrations" / "versions",
    )
