"""The declarative base of the kernel's own tables, migrated by the ``core`` Alembic branch."""

from __future__ import annotations

import core.db.base


class KernelBase(core.db.base.ModuleBase):
    """Base of every kernel table (events, idempotency keys): one metadata, one branch."""
