"""``core.db.read_rows``: columns read on the Unit of Work's connection, without the ORM."""

from __future__ import annotations

from sqlalchemy import select

from core.db import read_rows
from core.testing.kernel import kernel_of
from tests.fixture_modules.notes.models import Note

TEXTS = select(Note.id, Note.text).order_by(Note.id)


async def test_rows_include_the_units_pending_writes_and_leave_with_its_rollback(mosaic_app, notes):
    database = kernel_of(await mosaic_app({"notes": notes})).database
    async with database.unit_of_work() as uow:
        uow.session.add(Note(id=1, text="kept"))
    try:
        async with database.unit_of_work() as uow:
            uow.session.add(Note(id=2, text="pending"))
            seen = (await read_rows(uow.session, TEXTS)).all()
            raise LookupError("rolled back")
    except LookupError:
        pass
    async with database.unit_of_work() as uow:
        after = (await read_rows(uow.session, TEXTS)).all()

    assert [tuple(row) for row in seen] == [(1, "kept"), (2, "pending")]
    assert [row.text for row in after] == ["kept"]
