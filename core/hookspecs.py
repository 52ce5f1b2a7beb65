"""Every hook a Mosaic module can implement, in one place.

A module is a Python module (conventionally ``<package>/plugin.py``) whose functions are marked with
:data:`core.hookimpl`. It describes itself in one declarative record, :class:`core.Module`,
returned by :func:`mosaic_describe_module`: its name, version, dependencies, settings, routers,
errors, permissions, models, migrations, commands, events, listeners, jobs and mail templates.
The kernel reads the records of every installed module once, at start, and keeps each answer with
the module it came from, so it can tell operators which module claims which route, table, code or
permission.

The other hooks are dynamic: they receive the running :class:`~core.Kernel` and answer from it,
so they cannot be part of a record read before the kernel exists. Work that must run in the event
loop (opening a connection pool, warming a cache) is returned from :func:`mosaic_register_lifespan`
as an async context manager that the kernel enters at start and exits at shutdown.

The kernel keeps its :class:`pluggy.PluginManager` (``kernel.plugins``) for the life of the
process, with the enabled modules registered in dependency order, and calls every hook through it:
a plugin may wrap a hook (``@hookimpl(wrapper=True)``) to observe or change what the others answer.

Unless a docstring says otherwise, a hook is optional and returning ``None`` (or not implementing
it) means the module brings nothing of that kind. A plugin implementing a hook that is not here is
refused at start, with the record field to use when the hook was one of the record's fields.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from core.auth.authenticator import Authenticator
    from core.kernel.kernel import Kernel
    from core.kernel.module import Module

PROJECT = "mosaic"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# ------------------------------------------------------------------------------------------------
# The record
# ------------------------------------------------------------------------------------------------


@hookspec
def mosaic_describe_module() -> Module:  # type: ignore[empty-body]
    """Return the module's :class:`~core.Module` record: everything it brings that does not
    depend on the running kernel.

    Required: a plugin that does not answer is refused at start, and so is one whose ``name``
    differs from the name it was discovered under (its package name in ``modules/`` or its entry
    point). Installed but disabled modules answer too, so the revisions they left in a database
    stay known. The kernel refuses, naming the module:

    - ``depends_on``: a dependency that is not installed or not enabled, or a cycle;
    - ``settings``: invalid values in ``[modules.<name>]`` (overridden by
      ``MOSAIC_MODULES__<NAME>__<KEY>``); with no model, any section for the module;
    - ``routers``: a router without a ``prefix``, or a prefix another module claims (or nests in);
    - ``errors``: a code not ``<module>.<snake_case>``, or claimed by two modules;
    - ``permissions``: a key not ``<module>:<action>``; each becomes an OAuth2 scope in OpenAPI
      and can be granted to roles in ``plugins.toml``;
    - ``models``: a table not named ``<module>_…``, claimed twice, or tables without
      ``migrations`` (migrations compare against this metadata, so it holds every table);
    - ``migrations``: the branch is labelled with the module's name and depends on the branches
      of the ``depends_on`` modules that have one;
    - ``commands``: a name used by the kernel or another module;
    - ``events``: a type not named ``<module>.<what_happened>``, unversioned, undocumented or
      registered twice; a module publishes only its own types;
    - ``listeners``: two with the same registry name; a listener of a disabled module's event
      type receives nothing;
    - ``jobs``: a name not ``<module>.<snake_case>``, a duplicate, or a period that is not
      positive; each runs every ``every`` in a Unit of Work of its own, in every worker (one at a
      time on PostgreSQL);
    - ``mail_templates``: a folder that is missing, or a ``<name>.subject.txt`` without its
      ``<name>.txt`` (Jinja2; an optional ``<name>.html`` is autoescaped). Declaring templates
      says the module sends mail: production then refuses to start without ``MOSAIC_SMTP_URL``
      and ``MOSAIC_MAIL_FROM``; a deployment overrides any file under
      ``MOSAIC_MAIL_TEMPLATES/<module>/``.

    ``admin`` (its pages in the console at ``/admin``) is not checked at start: the module
    contract (:class:`core.testing.contract.ModuleContract`) fails a view over a table the module
    does not own, needing a permission it does not declare, or naming an attribute its model
    lacks. The pages exist only while the module is enabled.
    """


# ------------------------------------------------------------------------------------------------
# Dynamic: answered from the running kernel
# ------------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def mosaic_register_authenticator(kernel: Kernel) -> Authenticator | None:
    """Return the :class:`~core.auth.Authenticator` that verifies bearer tokens.

    Dynamic because it is built from the kernel (its settings and database). At most one enabled
    module may implement it (the ``auth`` module does), or the kernel refuses to start; the
    kernel calls it once, on first use, and every ``require(...)`` dependency uses the answer.
    """


@hookspec
def mosaic_register_lifespan(kernel: Kernel) -> AbstractAsyncContextManager[None] | None:
    """Return an async context manager run around the application's life.

    Dynamic because it works on the kernel's resources (settings, database). The kernel enters
    the modules' lifespans in dependency order at startup and exits them in reverse order at
    shutdown.
    """
