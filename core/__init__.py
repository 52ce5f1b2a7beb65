"""Mosaic's kernel: what a module may import.

A module imports this package and four others, its faces: :mod:`core.db` (the persistence layer),
:mod:`core.errors` (the error families), :mod:`core.auth` (principals and permission checks) and,
in its tests, :mod:`core.testing`. Everything else under ``core`` is private to the kernel, and an
import contract in ``pyproject.toml`` refuses a module that imports it.

From here, modules use ``hookimpl`` to implement the hooks in :mod:`core.hookspecs` and describe
themselves in one :class:`Module` record; :data:`KernelDep` and :func:`module_settings` to
receive the kernel or their settings in a request, and :func:`pass_kernel` in their commands
(:class:`Kernel` is the type those hand over; a module never loads one), which do their database
work with :func:`run_in_unit_of_work`; :class:`AdminView`
(with an :class:`AdminSave` to edit through its services) for its pages in the admin console
(``Module.admin``); :func:`body_limit` to let a route take a larger (or smaller) body than
``MOSAIC_MAX_BODY_SIZE``; :func:`answer` to answer a read with rows, read once as the route's
response schema and sent as JSON bytes; :data:`Idempotent` to make a route take an
``Idempotency-Key`` and answer a retry with its first response
(:mod:`core.idempotency`); :class:`Job` for periodic housekeeping (``Module.jobs``);
:class:`Event` and :class:`Listener` to publish events
(``uow.publish(event)``) and react to them (see :mod:`core.events`); ``uow.send_mail(...)`` to
send mail after commit from the templates they declare (see :mod:`core.mail`);
:func:`cursor_codec` to sign and read the cursors of their listings (:data:`CursorQuery` for the
``cursor`` parameter that takes them back), :class:`Page` for a listing's
page schema, :func:`page_size` for its bounded ``limit`` (:class:`PagingSettings` for the settings
it reads) (:mod:`core.pagination`, whose every listing refuses a foreign cursor with the kernel's
``core.errors.InvalidCursor``); :func:`utcnow` for the current time; ``kernel.rate_limiter`` with
:class:`Limit` and the settings type :data:`Rate` to throttle (:mod:`core.ratelimit`); and the
annotated types of :mod:`core.types` in their API schemas (``Text``, ``UtcDateTime``,
``UtcDateTimeRead``, ``JsonInteger``, ``Omittable``, ``PlainInteger``, ``SettingMaximum``, and
``NamedEnum`` for their enums).
"""

from core.admin.view import AdminSave, AdminView
from core.clock import utcnow
from core.config.dependencies import module_settings
from core.config.errors import ConfigError
from core.config.settings import Settings
from core.events.event import Envelope, Event
from core.events.inbox import first_delivery
from core.events.listener import Delivery, Listener, Mode
from core.hookspecs import hookimpl
from core.http.answer import answer
from core.http.body_limit import body_limit
from core.idempotency.dependency import Idempotent
from core.jobs.job import Job
from core.kernel.commands import pass_kernel, run_in_unit_of_work
from core.kernel.dependencies import KernelDep
from core.kernel.kernel import Kernel
from core.kernel.module import Module
from core.pagination import (
    CURSOR_PATTERN,
    MAX_CURSOR_LENGTH,
    PAGE_SIZE_CEILING,
    CursorCodec,
    CursorQuery,
    CursorReader,
    CursorValue,
    Page,
    PagingSettings,
    cursor_codec,
    page_size,
)
from core.ratelimit import Limit, Rate, RateLimiter, RateLimiterDown
from core.types import (
    NO_NUL,
    JsonInteger,
    NamedEnum,
    Omittable,
    PlainInteger,
    SettingMaximum,
    Text,
    UtcDateTime,
    UtcDateTimeRead,
)

__all__ = [
    "CURSOR_PATTERN",
    "MAX_CURSOR_LENGTH",
    "NO_NUL",
    "PAGE_SIZE_CEILING",
    "AdminSave",
    "AdminView",
    "ConfigError",
    "CursorCodec",
    "CursorQuery",
    "CursorReader",
    "CursorValue",
    "Delivery",
    "Envelope",
    "Event",
    "Idempotent",
    "Job",
    "JsonInteger",
    "Kernel",
    "KernelDep",
    "Limit",
    "Listener",
    "Mode",
    "Module",
    "NamedEnum",
    "Omittable",
    "Page",
    "PagingSettings",
    "PlainInteger",
    "Rate",
    "RateLimiter",
    "RateLimiterDown",
    "SettingMaximum",
    "Settings",
    "Text",
    "UtcDateTime",
    "UtcDateTimeRead",
    "answer",
    "body_limit",
    "cursor_codec",
    "first_delivery",
    "hookimpl",
    "module_settings",
    "page_size",
    "pass_kernel",
    "run_in_unit_of_work",
    "utcnow",
]
