"""Who is told when an account's credentials change (password, deactivation, deletion).

Other modules register with ``modules.users.api.on_credentials_changed``; the auth module ends
the account's sessions. Registration is process-wide (a module registers once, at import or in
its lifespan), but a listener defined in a module's package is only called while that module is
enabled: a module that is installed but disabled has no tables to act on. Listeners defined
outside any module (scripts, tests) are always called.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from types import ModuleType

from sqlalchemy.ext.asyncio import AsyncSession

from core.kernel.discovery import BUILTIN_PACKAGE
from core.kernel.kernel import Kernel

CredentialsListener = Callable[[AsyncSession, uuid.UUID, str | None], Awaitable[None]]

_listeners: list[CredentialsListener] = []


def on_credentials_changed(listener: CredentialsListener) -> None:
    """Registers ``listener``; registering the same listener again changes nothing."""
    if listener not in _listeners:
        _listeners.append(listener)


def listeners_for(kernel: Kernel) -> tuple[CredentialsListener, ...]:
    """Returns the registered listeners that belong to an enabled module or to no module."""
    enabled = {_package(module.plugin) for module in kernel.modules}
    known = {_package(module.plugin) for module in kernel.available.values()}
    return tuple(
        listener
        for listener in _listeners
        if _inside(listener, enabled)
        or not (_inside(listener, known) or _inside(listener, {BUILTIN_PACKAGE}))
    )


def _package(plugin: object) -> str:
    """``modules.auth.plugin`` -> ``modules.auth``; a plugin that is a lone module is its own."""
    if not isinstance(plugin, ModuleType):
        return ""  # a plugin object built in code (tests) has no package of its own
    return plugin.__name__.rpartition(".")[0] or plugin.__name__


def _inside(listener: CredentialsListener, packages: set[str]) -> bool:
    where = getattr(listener, "__module__", None) or ""
    return any(
        package and (where == package or where.startswith(f"{package}.")) for package in packages
    )
