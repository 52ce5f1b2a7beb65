"""The rows a read answers with: whatever columns its statement selects, read without the ORM."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Executable, Result, Row
from sqlalchemy.ext.asyncio import AsyncSession

#: A row of any statement; its columns are read by name (``row.price``), as a response schema
#: reads them (:func:`core.answer`).
AnyRow = Row[*tuple[Any, ...]]


async def read_rows(
    session: AsyncSession, statement: Executable, params: Mapping[str, Any] | None = None
) -> Result[*tuple[Any, ...]]:
    """Returns the rows of ``statement`` (a select of columns, not of entities), executed on the
    session's connection in its transaction.

    The ORM's result path (identity map, loader options, per-row processing) is skipped: it has
    nothing to do for columns, yet costs as much again as the statement. Pending writes are
    flushed first, as the session's own ``execute`` would, so the rows include them.
    """
    if session.new or session.dirty or session.deleted:
        await session.flush()
    connection = await session.connection()
    return await connection.execute(statement, params)
