"""Preparing a database: the operator's migration and admin commands, then the catalogue in bulk."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, insert, text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from bench.catalogue_data import Catalogue, generate
from bench.config import ADMIN_EMAIL, ADMIN_PASSWORD, MOSAIC, PRODUCTS, ROOT, TAGS_PER_PRODUCT
from modules.catalogue.models import Category, Product, Tag, product_tags

BATCH = 1000
# Tables whose ids were given explicitly: PostgreSQL's sequences must move past them.
SERIAL_TABLES = ("catalogue_categories", "catalogue_tags", "catalogue_products")
_SETVAL = "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"


def mosaic(*args: str, env: Mapping[str, str], stdin: str | None = None) -> str:
    """Runs the ``mosaic`` CLI as an operator does; returns its output or raises with stderr."""
    done = subprocess.run(  # noqa: S603 - the project's own CLI with fixed arguments
        [MOSAIC, *args],
        cwd=ROOT,
        env=dict(env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"mosaic {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def prepare(url: str, env: Mapping[str, str]) -> tuple[Catalogue, float]:
    """Migrates the database at ``url``, seeds the catalogue and the admin; returns the catalogue
    and the seconds the bulk insert took."""
    env = {**env, "MOSAIC_DATABASE_URL": url}
    mosaic("db", "upgrade", env=env)
    catalogue = generate(PRODUCTS, tags_per_product=TAGS_PER_PRODUCT)
    started = time.perf_counter()
    asyncio.run(_insert(url, catalogue))
    seconds = time.perf_counter() - started
    mosaic(
        "users",
        "create-admin",
        "--email",
        ADMIN_EMAIL,
        "--password-stdin",
        env=env,
        stdin=ADMIN_PASSWORD + "\n",
    )
    return catalogue, seconds


async def _insert(url: str, catalogue: Catalogue) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await _batches(connection, _table(Category), catalogue.categories)
            await _batches(connection, _table(Tag), catalogue.tags)
            await _batches(connection, _table(Product), catalogue.products)
            await _batches(connection, product_tags, catalogue.product_tags)
            if connection.dialect.name == "postgresql":
                for table in SERIAL_TABLES:
                    await connection.execute(text(_SETVAL.format(table=table)))
                await connection.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


def _table(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


async def _batches(
    connection: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]]
) -> None:
    for start in range(0, len(rows), BATCH):
        await connection.execute(insert(table), list(rows[start : start + BATCH]))
