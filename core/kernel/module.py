"""A module: the record it declares (:class:`Module`) and what the kernel made of it
(:class:`LoadedModule`).

A module answers ``mosaic_describe_module`` with one :class:`Module`: everything it brings that
does not depend on the running kernel. The kernel checks the record, derives the module's
Alembic branch (:class:`MigrationBranch`) and keeps both in a :class:`LoadedModule`, keyed to
the module so a conflict can name its owners.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import click
from fastapi import APIRouter
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel
from sqlalchemy import MetaData

from core.admin.view import AdminView
from core.errors.exceptions import MosaicError
from core.events.event import Event
from core.events.listener import Listener
from core.jobs.job import Job

MODULE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Module:
    """What a module brings, returned by its ``mosaic_describe_module`` hook::

        @hookimpl
        def mosaic_describe_module() -> Module:
            return Module(name="notes", version="1.0.0", routers=[router], models=Base.metadata)

    Only ``name`` and ``version`` are required; every other field defaults to "nothing of that
    kind". :mod:`core.hookspecs` says what the kernel refuses in each.
    """

    name: str
    """The name in ``plugins.toml``: its package name in ``modules/`` or its entry point name."""
    version: str
    description: str = ""
    depends_on: Sequence[str] = ()
    """Modules that must be enabled with this one; they start, and migrate, before it."""
    settings: type[BaseModel] | None = None
    """Validates ``[modules.<name>]`` of ``plugins.toml`` (``None``: a section is refused)."""
    routers: Sequence[APIRouter] = ()
    """Mounted under ``/api/v1``, each with a prefix of its own (``/notes``)."""
    errors: Sequence[type[MosaicError]] = ()
    """Exception classes, each bound to a code ``<module>.<snake_case>``."""
    permissions: Mapping[str, str] = field(default_factory=dict)
    """``{"<module>:<action>": "description"}``: the permissions its routes require."""
    models: MetaData | None = None
    """Every table the module owns, each named ``<module>_…``."""
    migrations: Path | None = None
    """The folder of its Alembic revisions (the branch is labelled with the module's name)."""
    commands: Sequence[click.Command] = ()
    """Commands or groups added to the ``mosaic`` CLI."""
    events: Sequence[type[Event]] = ()
    """The event types it publishes."""
    listeners: Sequence[Listener] = ()
    """Its subscriptions to event types."""
    jobs: Sequence[Job] = ()
    """Periodic housekeeping, named ``<module>.<snake_case>``."""
    mail_templates: Path | None = None
    """The folder of its mail templates: declaring one says the module sends mail."""
    admin: Sequence[AdminView] = ()
    """Its pages in the admin console at ``/admin``, each over one of its own models."""


@dataclass(frozen=True, slots=True)
class MigrationBranch:
    """A module's Alembic branch: its label and the folder holding its revision files."""

    label: str
    versions: Path
    depends_on: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class LoadedModule:
    """A module's record, checked, with what the kernel derives from it."""

    info: Module
    plugin: object
    migrations: MigrationBranch | None = None
    hooks: frozenset[str] = frozenset()
    """The dynamic hooks the plugin answers (wrappers excluded)."""

    @property
    def name(self) -> str:
        """The module's name, as written in ``plugins.toml``."""
        return self.info.name

    @property
    def settings_model(self) -> type[BaseModel] | None:
        """The model of the module's settings, if it takes any."""
        return self.info.settings

    @property
    def routers(self) -> tuple[APIRouter, ...]:
        """The routers the kernel mounts under ``/api/v1``."""
        return tuple(self.info.routers)

    @property
    def errors(self) -> tuple[type[MosaicError], ...]:
        """The module's exception classes."""
        return tuple(self.info.errors)

    @property
    def permissions(self) -> Mapping[str, str]:
        """The module's permissions and their descriptions."""
        return self.info.permissions

    @property
    def metadata(self) -> MetaData | None:
        """The ``MetaData`` of the module's tables."""
        return self.info.models

    @property
    def commands(self) -> tuple[click.Command, ...]:
        """The module's CLI commands."""
        return tuple(self.info.commands)

    @property
    def events(self) -> tuple[type[Event], ...]:
        """The event types the module publishes."""
        return tuple(self.info.events)

    @property
    def listeners(self) -> tuple[Listener, ...]:
        """The module's event subscriptions."""
        return tuple(self.info.listeners)

    @property
    def jobs(self) -> tuple[Job, ...]:
        """The module's periodic jobs."""
        return tuple(self.info.jobs)

    @property
    def mail_templates(self) -> Path | None:
        """The folder of the module's mail templates."""
        return self.info.mail_templates

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
