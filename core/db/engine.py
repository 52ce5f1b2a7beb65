"""The async engine and session factory, configured for SQLite or PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from core.config.settings import Settings


def create_engine(settings: Settings) -> AsyncEngine:
    """Returns the engine for ``settings.database_url``.

    SQLite gets foreign keys, WAL and a busy timeout on every connection (it has none of them by
    default); PostgreSQL gets a sized pool whose connections are checked as they are taken (see
    :func:`_refuse_closed_connections`), and the statement timeout on every connection (sent
    when it opens, so no round trip).
    """
    url = make_url(settings.database_url)
    options: dict[str, Any] = {"echo": settings.db_echo}
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, **options)
        _configure_sqlite(engine, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
        return engine
    options.update(
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        pool_recycle=settings.db_pool_recycle,
        pool_pre_ping=settings.db_pool_pre_ping,
    )
    if settings.db_statement_timeout_ms and url.get_driver_name() == "asyncpg":
        timeout = str(settings.db_statement_timeout_ms)
        options["connect_args"] = {"server_settings": {"statement_timeout": timeout}}
    engine = create_async_engine(url, **options)
    if url.get_driver_name() == "asyncpg":
        _refuse_closed_connections(engine)
    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Returns the session factory; objects stay readable after commit (no implicit reload)."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


def _configure_sqlite(engine: AsyncEngine, *, busy_timeout_ms: int) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()


def _refuse_closed_connections(engine: AsyncEngine) -> None:
    """A pooled connection the server closed (a restart, an idle timeout, a terminated backend)
    is replaced before a request gets it, so a restarted server costs no request.

    asyncpg reads every connection's socket, pooled or not, and marks one closed as soon as the
    server ends it: asking costs no round trip, where SQLAlchemy's ``pool_pre_ping`` sends three
    on every checkout (``BEGIN``, a ping, ``ROLLBACK``). ``MOSAIC_DB_POOL_PRE_PING`` adds the
    ping for connections dropped without a word (a firewall forgetting an idle connection).
    """

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if dbapi_connection.driver_connection.is_closed():
            # The pool replaces the connection and tries again.
            raise DisconnectionError("the server closed this pooled connection")
