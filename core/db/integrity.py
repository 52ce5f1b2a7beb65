"""Flushing a session and telling which constraint a refused write broke.

A service checks a rule (a free slug, an unused email) before it writes; a concurrent request may
still get there between the check and the write, and the database's constraint then refuses the
flush. :func:`flush_or_raise` turns that refusal into the module's own error for the named
constraint, so the race answers as the check would have::

    await flush_or_raise(uow.session, {"uq_users_users_email": EmailTaken(f"... {email}.")})

The errors are built before the flush: a failed flush expires the session's objects, and reading
an attribute afterwards raises instead of answering.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.base import NAMING_CONVENTION

# SQLite names no constraint, only the columns of a unique one: "UNIQUE constraint failed:
# catalogue_products.sku". The kernel's naming convention gives the name back from them.
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)")
_SQLITE_FOREIGN_KEY = "FOREIGN KEY constraint failed"
_FOREIGN_KEY_PREFIX = "fk_"


async def flush_or_raise(session: AsyncSession, conflicts: Mapping[str, Exception]) -> None:
    """Flushes ``session``; raises ``conflicts[name]`` when the database refuses the flush on
    the constraint ``name``, and re-raises any other ``IntegrityError``.

    SQLite does not say which foreign key failed: there, a foreign key failure raises the error
    given for the foreign keys (``fk_…`` names) of ``conflicts`` when they all share one.
    """
    try:
        await session.flush()
    except IntegrityError as exc:
        error = _conflict(exc, conflicts)
        if error is None:
            raise
        raise error from None


def violated_constraint(exc: IntegrityError) -> str | None:
    """Returns the name of the constraint behind ``exc`` when the driver tells it."""
    cause = exc.orig.__cause__ if exc.orig is not None else None
    named = getattr(cause, "constraint_name", None)  # asyncpg
    if isinstance(named, str):
        return named
    unique = _SQLITE_UNIQUE.search(str(exc.orig))
    if unique is None:
        return None
    columns = [column.strip().split(".") for column in unique.group(1).split(",")]
    table = columns[0][0]
    return NAMING_CONVENTION["uq"] % {
        "table_name": table,
        "column_0_N_name": "_".join(name for _table, name in columns),
    }


def _conflict(exc: IntegrityError, conflicts: Mapping[str, Exception]) -> Exception | None:
    name = violated_constraint(exc)
    if name is not None:
        return conflicts.get(name)
    if _SQLITE_FOREIGN_KEY in str(exc.orig):
        errors = {
            id(error): error
            for key, error in conflicts.items()
            if key.startswith(_FOREIGN_KEY_PREFIX)
        }
        if len(errors) == 1:
            return next(iter(errors.values()))
    return None
