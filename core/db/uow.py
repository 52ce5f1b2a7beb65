"""The Unit of Work: the only place a transaction is committed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import TracebackType
from typing import Annotated, Self

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.errors import raises
from core.errors.kernel_errors import DatabaseTimeout


class UnitOfWork:
    """One transaction around one request (or one CLI command).

    Services receive it and work through ``uow.session``; they never commit. Leaving the block
    normally commits everything at once; any exception rolls everything back, so a request's writes
    are all or nothing. The one exception is an error whose class sets ``keeps_writes``
    (see :class:`~core.errors.MosaicError`).
    """

    session: AsyncSession

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def __aenter__(self) -> Self:
        self.session = self._sessionmaker()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None or getattr(exc, "keeps_writes", False):
                await self.session.commit()
            else:
                await self.session.rollback()
        finally:
            await self.session.close()


# Every route with a Unit of Work can answer 503 when a statement outlives the statement timeout.
@raises(DatabaseTimeout)
async def _unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    async with UnitOfWork(request.app.state.kernel.database.sessionmaker) as uow:
        yield uow


# scope="function": commit when the route returns, before the response is sent, so a failed commit
# is answered as an error instead of after a success was already reported.
UoW = Annotated[UnitOfWork, Depends(_unit_of_work, scope="function")]
