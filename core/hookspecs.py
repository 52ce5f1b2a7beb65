"""Every hook a Mosaic module can implement, in one place.

A module is a Python module (conventionally ``<package>/plugin.py``) whose functions are marked with
:data:`core.hookimpl`. The kernel calls each hook once per module and keeps the answer with the
module it came from, so it can tell operators which module claims which route, table, code or
permission.

Hooks are synchronous and declarative: they describe what a module brings. Work that must run in the
event loop (opening a connection pool, warming a cache) is returned from
:func:`mosaic_register_lifespan` as an async context manager factory that the kernel enters at start
and exits at shutdown, in dependency order.

Unless a docstring says otherwise, a hook is optional and returning ``None`` (or not implementing
it) means the module brings nothing of that kind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click
    from fastapi import APIRouter
    from pydantic import BaseModel
    from sqlalchemy import MetaData

    from core.auth.authenticator import Authenticator
    from core.errors.exceptions import MosaicError
    from core.events.event import Event
    from core.events.listener import Listener
    from core.jobs.job import Job
    from core.kernel.kernel import Kernel
    from core.module import MigrationBranch, ModuleInfo

PROJECT = "mosaic"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

Lifespan = Callable[["Kernel"], AbstractAsyncContextManager[None]]


# ------------------------------------------------------------------------------------------------
# Identity
# ------------------------------------------------------------------------------------------------


@hookspec
def mosaic_describe_module() -> ModuleInfo:  # type: ignore[empty-body]
    """Return the module's name, version, description and the modules it depends on.

    Required: a plugin that does not implement it is refused at start. The name must match the
    name the module was discovered under (its package name in ``modules/`` or its entry point).
    """


@hookspec
def mosaic_register_settings() -> type[BaseModel] | None:
    """Return the Pydantic model that validates the module's section of ``plugins.toml``.

    Values come from ``[modules.<name>]`` and are overridden by ``MOSAIC_MODULES__<NAME>__<KEY>``
    environment variables. The model should forbid extra keys so a typo fails at start.
    ``None`` means the module takes no settings, and a section for it is refused.
    """


# ------------------------------------------------------------------------------------------------
# HTTP surface
# ------------------------------------------------------------------------------------------------


@hookspec
def mosaic_register_routers() -> Sequence[APIRouter] | None:
    """Return the module's routers; the kernel mounts them under ``/api/v1``.

    Each router must carry a non-empty ``prefix`` (``/catalogue``); two modules may not claim the
    same prefix or one nested in the other.
    """


@hookspec
def mosaic_register_errors() -> Sequence[type[MosaicError]] | None:
    """Return the module's exception classes, each bound to a code ``<module>.<snake_case>``.

    The kernel lists them in the error catalogue (``GET /api/v1/errors``) and renders them as
    problem details. A code claimed by two modules is refused at start.
    """


@hookspec
def mosaic_register_permissions() -> Mapping[str, str] | None:
    """Return the permissions the module checks, as ``{"<module>:<action>": "description"}``.

    Permissions become OAuth2 scopes in OpenAPI and can be granted to roles in ``plugins.toml``.
    """


@hookspec
def mosaic_register_authenticator() -> Callable[[Kernel], Authenticator] | None:
    """Return a factory of the :class:`~core.auth.Authenticator` that verifies bearer tokens.

    At most one enabled module may answer (the ``auth`` module does); the kernel calls the factory
    once, after start-up, and every ``require(...)`` dependency uses the result.
    """


# ------------------------------------------------------------------------------------------------
# Persistence
# ------------------------------------------------------------------------------------------------


@hookspec
def mosaic_register_models() -> MetaData | None:
    """Return the ``MetaData`` holding the module's tables.

    Every table name starts with ``<module>_``; a table claimed by two modules is refused at start.
    Migrations compare against this metadata, so it must hold every table the module owns.
    """


@hookspec
def mosaic_register_migrations() -> MigrationBranch | None:
    """Return the module's Alembic branch: its label (the module's name) and its versions folder.

    ``None`` means the module owns no tables. Modules that are installed but disabled still
    answer, so the revisions they left in a database stay known.
    """


# ------------------------------------------------------------------------------------------------
# Events
# ------------------------------------------------------------------------------------------------


@hookspec
def mosaic_register_events() -> Sequence[type[Event]] | None:
    """Return the event types the module publishes (subclasses of :class:`core.Event`).

    Each is named ``<module>.<what_happened>``, versioned and documented by its docstring; a
    module may publish only its own types, and only registered types can be published. A type
    registered twice, misnamed or undocumented is refused at start.
    """


@hookspec
def mosaic_register_listeners() -> Sequence[Listener] | None:
    """Return the module's :class:`core.Listener` subscriptions to event types.

    A listener's event type comes from the publishing module's public ``api``; while that
    module is disabled the listener receives nothing. Two listeners with the same registry name
    are refused at start.
    """


# ------------------------------------------------------------------------------------------------
# Mail
# ------------------------------------------------------------------------------------------------


@hookspec
def mosaic_register_mail_templates() -> Path | None:
    """Return the folder of the module's mail templates (conventionally ``mail/`` beside its
    ``plugin.py``, which the package ships).

    A template ``<module>/<name>`` is ``<name>.subject.txt`` and ``<name>.txt`` in that folder,
    and optionally ``<name>.html``: Jinja2, the HTML autoescaped. ``uow.send_mail`` renders one;
    a deployment overrides any file with its own under ``MOSAIC_MAIL_TEMPLATES/<module>/``.
    Declaring templates says the module sends mail: production then refuses to start without
    ``MOSAIC_SMTP_URL`` and ``MOSAIC_MAIL_FROM``. A missing folder, or a subject without its
    text, is refused at start.
    """


# ------------------------------------------------------------------------------------------------
# Operations
# ------------------------------------------------------------------------------------------------


@hookspec
def mosaic_register_commands() -> Sequence[click.Command] | None:
    """Return click commands or groups to add to the ``mosaic`` CLI (``mosaic users …``).

    A command name used by the kernel or by another module is refused at start.
    """


@hookspec
def mosaic_register_jobs() -> Sequence[Job] | None:
    """Return the module's periodic :class:`core.Job` s (pruning, expiring): each runs every
    ``every`` in a Unit of Work of its own, in the background of every worker (one at a time on
    PostgreSQL). Names are ``<module>.<snake_case>``; a misnamed or duplicate job is refused at
    start.
    """


@hookspec
def mosaic_register_lifespan() -> Lifespan | None:
    """Return a factory of an async context manager run around the application's life.

    The kernel enters the modules' lifespans in dependency order at startup and exits them in
    reverse order at shutdown; the factory receives the :class:`~core.Kernel`.
    """
