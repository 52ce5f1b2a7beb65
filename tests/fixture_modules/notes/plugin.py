from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import click

from core import Kernel, Module, hookimpl, pass_kernel
from tests.fixture_modules.notes.config import NotesSettings
from tests.fixture_modules.notes.errors import NoteNotFound, NoteRejected
from tests.fixture_modules.notes.models import Base
from tests.fixture_modules.notes.router import router

LIFESPAN_EVENTS: list[str] = []


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
def mosaic_describe_module() -> Module:
    return Module(
        name="notes",
        version="1.2.3",
        description="Notes for kernel tests.",
        settings=NotesSettings,
        routers=[router],
        errors=[NoteNotFound, NoteRejected],
        permissions={"notes:write": "Create and delete notes."},
        models=Base.metadata,
        migrations=Path(__file__).parent / "migrations" / "versions",
        commands=[notes_cli],
    )


@hookimpl
@asynccontextmanager
async def mosaic_register_lifespan(kernel: Kernel) -> AsyncIterator[None]:
    LIFESPAN_EVENTS.append("notes:start")
    yield
    LIFESPAN_EVENTS.append("notes:stop")
