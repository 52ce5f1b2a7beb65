"""The declarative base of the kernel's own tables, migrated by the ``core`` Alembic branch."""

from __future__ import annotations

import core.db.base


class KernelBase(core.db.base.Base):
    """Base of every kernel table (events, idempotency keys): one metadata, one branch."""

    __abstract__ = True
    metadata = core.db.base.new_metadata()
