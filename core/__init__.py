"""Mosaic's kernel: what a module may import.

Modules use ``hookimpl`` to implement the hooks in :mod:`core.hookspecs`, the persistence layer in
:mod:`core.db`, the error families in :mod:`core.errors`, and :func:`module_settings` to read their
settings in a request. Anything not exported here is private to the kernel.
"""

from core.config.dependencies import module_settings
from core.config.errors import ConfigError
from core.config.settings import Settings
from core.hookspecs import hookimpl
from core.module import MigrationBranch, ModuleInfo

__all__ = [
    "ConfigError",
    "MigrationBranch",
    "ModuleInfo",
    "Settings",
    "hookimpl",
    "module_settings",
]
