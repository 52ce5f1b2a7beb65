"""Mosaic's kernel: what a module may import.

Modules use ``hookimpl`` to implement the hooks in :mod:`core.hookspecs`, the persistence layer in
:mod:`core.db`, the error families in :mod:`core.errors`, :func:`module_settings` to read their
settings in a request, :class:`Event` and :class:`Listener` to publish events
(``uow.publish(event)``) and react to them (see :mod:`core.events`), :func:`cursor_codec` to sign
and read the cursors of their listings (:mod:`core.pagination`), and the annotated types of
:mod:`core.types` in their API schemas (``Text``, ``UtcDateTime``, ``Omittable``, ``PlainInteger``,
``SettingMaximum``). Anything not exported here is private to the kernel.
"""

from core.config.dependencies import module_settings
from core.config.errors import ConfigError
from core.config.settings import Settings
from core.events.event import Envelope, Event
from core.events.inbox import first_delivery
from core.events.listener import Delivery, Listener, Mode
from core.hookspecs import hookimpl
from core.jobs.job import Job
from core.module import MigrationBranch, ModuleInfo
from core.pagination import (
    CURSOR_PATTERN,
    MAX_CURSOR_LENGTH,
    CursorCodec,
    CursorReader,
    CursorValue,
    cursor_codec,
)
from core.types import NO_NUL, Omittable, PlainInteger, SettingMaximum, Text, UtcDateTime

__all__ = [
    "CURSOR_PATTERN",
    "MAX_CURSOR_LENGTH",
    "NO_NUL",
    "ConfigError",
    "CursorCodec",
    "CursorReader",
    "CursorValue",
    "Delivery",
    "Envelope",
    "Event",
    "Job",
    "Listener",
    "MigrationBranch",
    "Mode",
    "ModuleInfo",
    "Omittable",
    "PlainInteger",
    "SettingMaximum",
    "Settings",
    "Text",
    "UtcDateTime",
    "cursor_codec",
    "first_delivery",
    "hookimpl",
    "module_settings",
]
