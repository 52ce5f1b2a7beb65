"""Alembic environment: runs a module branch's revisions over the async engine."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

config = context.config
# Set by core.alembic_branches for autogenerate: the one module whose tables are compared.
target_metadata = config.attributes.get("target_metadata")
table_prefix: str | None = config.attributes.get("table_prefix")


def include_name(name: str | None, type_: str, _parent: Any) -> bool:
    """Autogenerate looks only at the module's own tables, never at another module's."""
    if type_ == "table" and table_prefix is not None:
        return name is not None and name.startswith(table_prefix)
    return True


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    engine = create_async_engine(config.attributes["database_url"], poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_migrations)
            await connection.commit()
    finally:
        await engine.dispose()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    asyncio.run(run_async_migrations())
