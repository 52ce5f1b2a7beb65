"""Mosaic's kernel: what a module may import.

Modules use ``hookimpl`` to implement the hooks in :mod:`core.hookspecs`, the persistence layer in
:mod:`core.db`, the error families in :mod:`core.errors`, :func:`module_settings` to read their
settings in a request, and the annotated types of :mod:`core.types` in their API schemas (``Text``,
``UtcDateTime``, ``PlainInteger``, ``SettingMaximum``). Anything not exported here is private to
the kernel.
"""

from core.config.dependencies import module_settings
from core.config.errors import ConfigError
from core.config.settings import Settings
from core.hookspecs import hookimpl
from core.module import MigrationBranch, ModuleInfo
from core.types import NO_NUL, PlainInteger, SettingMaximum, Text, UtcDateTime

__all__ = [
    "NO_NUL",
    "ConfigError",
    "MigrationBranch",
    "ModuleInfo",
    "PlainInteger",
    "SettingMaximum",
    "Settings",
    "Text",
    "UtcDateTime",
    "hookimpl",
    "module_settings",
]
