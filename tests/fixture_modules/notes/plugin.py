from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import click
from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import MetaData

from core import Kernel, MigrationBranch, ModuleInfo, hookimpl, pass_kernel
from core.errors import MosaicError
from tests.fixture_modules.notes.config import NotesSettings
from tests.fixture_modules.notes.errors import NoteNotFound, NoteRejected
from tests.fixture_modules.notes.models import Base
from tests.fixture_modules.notes.router import router

LIFESPAN_EVENTS: list[str] = []


@hookimpl
def mosaic_describe_module() -> ModuleInfo:
    return ModuleInfo("notes", "1.2.3", "Notes for kernel tests.")


@hookimpl
def mosaic_register_settings() -> type[BaseModel]:
    return NotesSettings


@hookimpl
def mosaic_register_routers() -> Sequence[APIRouter]:
    return [router]


@hookimpl
def mosaic_register_errors() -> Sequence[type[MosaicError]]:
    return [NoteNotFound, NoteRejected]


@hookimpl
def mosaic_register_permissions() -> dict[str, str]:
    return {"notes:write": "Create and delete notes."}


@hookimpl
def mosaic_register_models() -> MetaData:
    return Base.metadata


@hookimpl
def mosaic_register_migrations() -> MigrationBranch:
    return MigrationBranch("notes", Path(__file__).parent / "migrations" / "versions")


@click.group("notes")
def notes_cli() -> None:
    """Notes commands."""


@notes_cli.command("hello")
def hello() -> None:
    click.echo("hello from notes")


@notes_cli.command("enabled")
@pass_kernel
def enabled(kernel: Kernel) -> None:
    click.echo(" ".join(kernel.enabled))


@hookimpl
def mosaic_register_commands() -> Sequence[click.Command]:
    return [notes_cli]


@asynccontextmanager
async def _lifespan(_kernel: object) -> AsyncIterator[None]:
    LIFESPAN_EVENTS.append("notes:start")
    yield
    LIFESPAN_EVENTS.append("notes:stop")


@hookimpl
def mosaic_register_lifespan() -> object:
    def factory(kernel: object) -> AbstractAsyncContextManager[None]:
        return _lifespan(kernel)

    return factory
