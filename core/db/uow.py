"""The Unit of Work: the only place a transaction is committed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Annotated, Self

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.errors import raises
from core.errors.kernel_errors import DatabaseTimeout, MigrationsPending, ServiceUnavailable
from core.kernel.access import kernel_of

if TYPE_CHECKING:
    from core.events.event import Envelope, Event
    from core.events.publisher import EventPublisher
    from core.mail.mailer import Mailer


class UnitOfWork:
    """One transaction around one request (or one CLI command).

    Services receive it and work through ``uow.session``; they never commit. Leaving the block
    normally commits everything at once; any exception rolls everything back, so a request's writes
    are all or nothing. The one exception is an error whose class sets ``keeps_writes``
    (see :class:`~core.errors.MosaicError`).
    """

    session: AsyncSession
    #: Who acts (the verified token's subject), stamped on the events this unit publishes.
    actor: str | None

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        events: EventPublisher | None = None,
        mail: Mailer | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._events = events
        self._mail = mail
        self._published: list[Envelope] = []
        self._mailed = False
        self._before_commit: list[Callable[[], Awaitable[object]]] = []
        self.actor = None

    def before_commit(self, callback: Callable[[], Awaitable[object]]) -> None:
        """Awaits ``callback`` in this unit's transaction just before it commits (never if it
        rolls back); an exception it raises rolls everything back instead."""
        self._before_commit.append(callback)

    async def publish(self, event: Event) -> None:
        """Publishes ``event`` as part of this unit: its in-transaction listeners run now, and
        its after-commit listeners get a publication that commits or rolls back with the rest."""
        if self._events is None:
            raise RuntimeError("this Unit of Work was opened without the kernel's events")
        self._published.append(await self._events.publish(self, event))

    async def send_mail(
        self,
        *,
        to: str | Sequence[str],
        template: str,
        context: Mapping[str, object] | None = None,
    ) -> str:
        """Renders the mail template ``template`` (``"<module>/<name>"``) with ``context`` for
        ``to`` and sends it once this unit commits (never if it rolls back); returns its
        ``Message-ID``. An unknown template or a variable missing from ``context`` raises now."""
        if self._mail is None:
            raise RuntimeError("no enabled module declares mail templates (nothing can be sent)")
        message = await self._mail.queue(self, to=to, template=template, context=context or {})
        self._mailed = True
        return message.message_id

    async def __aenter__(self) -> Self:
        self.session = self._sessionmaker()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        committed = False
        try:
            if exc_type is None or getattr(exc, "keeps_writes", False):
                for callback in self._before_commit:
                    await callback()
                await self.session.commit()
                committed = True
            else:
                await self.session.rollback()
        finally:
            await self.session.close()
        # A mail alone commits no event, yet the dispatcher must wake for it all the same.
        if committed and (self._published or self._mailed) and self._events is not None:
            self._events.committed(self._published)
        self._published = []
        self._mailed = False
        self._before_commit = []


# Every route with a Unit of Work can answer 503: a statement outlived the statement timeout (or
# SQLite's lock), an enabled module's migrations were never applied, or the database server cannot
# be reached.
@raises(DatabaseTimeout, MigrationsPending, ServiceUnavailable)
async def _unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    async with kernel_of(request).database.unit_of_work() as uow:
        yield uow


# scope="function": commit when the route returns, before the response is sent, so a failed commit
# is answered as an error instead of after a success was already reported.
UoW = Annotated[UnitOfWork, Depends(_unit_of_work, scope="function")]
