"""Throwaway databases: a fresh PostgreSQL database, or a fresh SQLite file, dropped afterwards."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.config import POSTGRES_SERVER
from core.testing.databases import drop_postgres_database, recreate_postgres_database


@dataclass(frozen=True, slots=True)
class BenchDatabase:
    """One database under test: its label in the results and its SQLAlchemy URL."""

    label: str
    url: str


@contextmanager
def fresh_postgres() -> Iterator[BenchDatabase]:
    """Creates database ``mosaic_bench_<pid>`` on the local server and drops it on exit."""
    url = asyncio.run(recreate_postgres_database(POSTGRES_SERVER, f"mosaic_bench_{os.getpid()}"))
    try:
        yield BenchDatabase("PostgreSQL", url)
    finally:
        asyncio.run(drop_postgres_database(url))


@contextmanager
def fresh_sqlite() -> Iterator[BenchDatabase]:
    """A new SQLite file in a temporary directory, removed (with its WAL files) on exit."""
    with tempfile.TemporaryDirectory(prefix="mosaic-bench-sqlite-") as directory:
        path = Path(directory) / "bench.db"
        yield BenchDatabase("SQLite", f"sqlite+aiosqlite:///{path}")
