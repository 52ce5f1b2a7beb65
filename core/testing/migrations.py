"""Checking a module's migrations: they round-trip, and they build exactly what the models say."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from core.alembic_branches import operations
from core.kernel.kernel import Kernel


def schema_differences(kernel: Kernel, connection: Connection, module: str) -> list[Any]:
    """Returns what autogenerate would change for ``module``'s tables (empty when in sync)."""
    loaded = kernel.available[module]
    if loaded.metadata is None:
        return []
    prefix = f"{module}_"

    def include_name(name: str | None, type_: str, _parent: Any) -> bool:
        return type_ != "table" or (name is not None and name.startswith(prefix))

    context = MigrationContext.configure(
        connection,
        opts={"include_name": include_name, "compare_type": True, "target_metadata": None},
    )
    return list(compare_metadata(context, loaded.metadata))


def table_names(connection: Connection) -> set[str]:
    """Returns the tables in the database, the version table excepted."""
    names = set(connection.dialect.get_table_names(connection))
    return names - {"alembic_version"}


def round_trip(kernel: Kernel, connection: Connection, module: str) -> list[set[str]]:
    """Downgrades ``module`` and upgrades again; returns the tables seen after each step."""
    seen = [table_names(connection)]
    operations.downgrade(kernel, connection, module)
    seen.append(table_names(connection))
    operations.upgrade(kernel, connection)
    seen.append(table_names(connection))
    return seen
