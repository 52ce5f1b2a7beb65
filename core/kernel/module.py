"""A loaded module: what each of its hooks answered."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click
from fastapi import APIRouter
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel
from sqlalchemy import MetaData

from core.errors.exceptions import MosaicError
from core.events.event import Event
from core.events.listener import Listener
from core.hookspecs import Lifespan
from core.jobs.job import Job
from core.module import MigrationBranch, ModuleInfo

if TYPE_CHECKING:
    from core.auth.authenticator import Authenticator
    from core.kernel.kernel import Kernel


@dataclass(frozen=True, slots=True)
class LoadedModule:
    """Everything a module brings, keyed to the module so conflicts can name their owners."""

    info: ModuleInfo
    plugin: object
    settings_model: type[BaseModel] | None = None
    routers: tuple[APIRouter, ...] = ()
    errors: tuple[type[MosaicError], ...] = ()
    permissions: Mapping[str, str] = field(default_factory=dict)
    metadata: MetaData | None = None
    migrations: MigrationBranch | None = None
    commands: tuple[click.Command, ...] = ()
    lifespan: Lifespan | None = None
    authenticator: Callable[[Kernel], Authenticator] | None = None
    events: tuple[type[Event], ...] = ()
    listeners: tuple[Listener, ...] = ()
    jobs: tuple[Job, ...] = ()
    mail_templates: Path | None = None

    @property
    def name(self) -> str:
        """The module's name, as written in ``plugins.toml``."""
        return self.info.name

    @property
    def route_prefixes(self) -> tuple[str, ...]:
        """The path prefixes the module claims under ``/api/v1``."""
        return tuple(router.prefix for router in self.routers)

    @property
    def tables(self) -> tuple[str, ...]:
        """The names of the tables the module owns."""
        return tuple(self.metadata.tables) if self.metadata is not None else ()

    @property
    def routes(self) -> tuple[str, ...]:
        """``METHOD /path`` of every route the module serves, under ``/api/v1``."""
        # A router included in another stays a branch of it: walk the branches for the paths
        # with every prefix they were included under, as the application will serve them.
        return tuple(
            f"{method} /api/v1{context.path or ''}"
            for router in self.routers
            for context in iter_route_contexts(router.routes)
            for method in sorted(context.methods or ())
        )
