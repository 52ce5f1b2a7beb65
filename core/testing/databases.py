"""Throwaway databases for tests: a SQLite file, or a fresh PostgreSQL database per worker."""

from __future__ import annotations

import re

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

_SAFE = re.compile(r"[^a-z0-9_]")


def is_postgres(url: str) -> bool:
    """Whether ``url`` names a PostgreSQL database."""
    return make_url(url).get_backend_name() == "postgresql"


async def recreate_postgres_database(url: str, name: str) -> str:
    """Drops and creates database ``name`` on the server of ``url``; returns its URL."""
    server = make_url(url)
    name = _SAFE.sub("_", name.lower())[:63]
    connection = await asyncpg.connect(**_connect_args(server, "postgres"))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return server.set(database=name).render_as_string(hide_password=False)


async def drop_postgres_database(url: str) -> None:
    """Drops the database ``url`` names, closing its connections."""
    target = make_url(url)
    connection = await asyncpg.connect(**_connect_args(target, "postgres"))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
    finally:
        await connection.close()


async def reset_postgres_schema(engine: AsyncEngine) -> None:
    """Empties the ``public`` schema, whatever an earlier test left in it."""
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))


def _connect_args(url: URL, database: str) -> dict[str, object]:
    return {
        "host": url.host or "127.0.0.1",
        "port": url.port or 5432,
        "user": url.username or "postgres",
        "password": url.password,
        "database": database,
    }
