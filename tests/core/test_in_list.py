"""``core.db.any_of``: a list of values as one parameter, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy import select

from core.db import any_of
from core.testing.kernel import kernel_of
from core.testing.statements import count_statements
from tests.fixture_modules.notes.models import Note

BY_IDS = select(Note.text).where(any_of(Note.id, "ids")).order_by(Note.id)


async def test_rows_whose_column_is_in_the_list(mosaic_app, notes):
    database = kernel_of(await mosaic_app({"notes": notes})).database
    async with database.unit_of_work() as uow:
        uow.session.add_all([Note(id=1, text="one"), Note(id=2, text="two"), Note(id=3, text="3")])
    async with database.unit_of_work() as uow:
        with count_statements(database.engine) as log:
            picked = list(await uow.session.scalars(BY_IDS, {"ids": [3, 1]}))
            alone = list(await uow.session.scalars(BY_IDS, {"ids": [2]}))
            none = list(await uow.session.scalars(BY_IDS, {"ids": []}))

    assert (picked, alone, none) == (["one", "3"], ["two"], [])
    if database.engine.dialect.name == "postgresql":  # one statement text for any length
        assert len(set(log.statements)) == 1, log
        assert "= ANY" in log.statements[0]
