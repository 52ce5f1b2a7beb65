"""The process's database: engine, session factory and Units of Work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.config.settings import Settings
from core.db.engine import create_engine, create_sessionmaker
from core.db.outage import Outage
from core.db.uow import UnitOfWork

if TYPE_CHECKING:
    from core.events.publisher import EventPublisher
    from core.mail.mailer import Mailer


class Database:
    """Owns the engine for the life of the application."""

    def __init__(
        self,
        settings: Settings,
        *,
        events: EventPublisher | None = None,
        mail: Mailer | None = None,
    ) -> None:
        self.engine: AsyncEngine = create_engine(settings)
        self.sessionmaker: async_sessionmaker[AsyncSession] = create_sessionmaker(self.engine)
        self.events = events
        self.mail = mail
        self.outage = Outage()
        self.outage.watch(self.engine)

    def unit_of_work(self) -> UnitOfWork:
        """Returns a new Unit of Work (requests, CLI commands, lifespans and listeners alike)."""
        return UnitOfWork(self.sessionmaker, events=self.events, mail=self.mail)

    async def ping(self) -> None:
        """Raises if the database cannot answer a trivial query."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        """Closes every pooled connection."""
        await self.engine.dispose()
