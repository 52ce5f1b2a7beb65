"""Roles: named sets of permissions, configured in the ``[roles]`` table of plugins.toml.

::

    [roles]
    editor = ["catalogue:write"]
    admin = ["*"]          # the default: every permission of the enabled modules
"""

from __future__ import annotations

from collections.abc import Mapping

from core.config.errors import ConfigError
from core.config.plugins_file import PluginsConfig
from core.kernel.module import LoadedModule

ADMIN = "admin"
EVERYTHING = "*"


def resolve_roles(
    config: PluginsConfig,
    permissions: Mapping[str, str],
    installed: Mapping[str, LoadedModule],
    *,
    where: str,
) -> dict[str, frozenset[str]]:
    """Returns each role's permissions among those of the enabled modules.

    A permission of an installed but disabled module is kept out silently (enabling the module
    brings it back); a permission no installed module declares is a typo and is refused.
    """
    declared = {p for module in installed.values() for p in module.permissions}
    roles = {ADMIN: (EVERYTHING,), **config.roles}
    resolved: dict[str, frozenset[str]] = {}
    for role, grants in roles.items():
        for grant in grants:
            if grant != EVERYTHING and grant not in declared:
                raise ConfigError(f"{where} [roles] {role}: unknown permission '{grant}'")
        everything = EVERYTHING in grants
        resolved[role] = frozenset(p for p in permissions if everything or p in grants)
    return resolved
