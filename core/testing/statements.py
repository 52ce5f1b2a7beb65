"""Counting the SQL statements a block of code issues, to pin down N+1 queries in tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


class StatementLog:
    """The statements seen while counting; ``len(log)`` is their number."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)

    def __repr__(self) -> str:
        return f"StatementLog({len(self)} statements: {self.statements!r})"


@contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[StatementLog]:
    """Records every statement ``engine`` executes inside the block (savepoints and pings too)."""
    log = StatementLog()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        log.statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield log
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
