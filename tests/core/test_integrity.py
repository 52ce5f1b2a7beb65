"""``core.db.flush_or_raise``: a write a constraint refuses answers as the module's error for
that constraint, on SQLite and PostgreSQL alike, and any other refusal is not disguised."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from core.db import flush_or_raise
from core.errors import Conflict, UnprocessableContent
from core.testing.kernel import kernel_of
from modules.catalogue.models import (
    CATEGORY_PARENT_KEY,
    CATEGORY_SLUG_UNIQUE,
    TAG_SLUG_UNIQUE,
    Category,
    Tag,
)
from tests.modules.catalogue.conftest import catalogue_plugins


class Taken(Conflict):
    code = "probe.taken"
    title = "Taken"


class Missing(UnprocessableContent):
    code = "probe.missing"
    title = "Missing"


@pytest.fixture
async def database(mosaic_app):
    return kernel_of(await mosaic_app(catalogue_plugins())).database


async def test_a_named_unique_constraint_raises_its_error(database):
    taken = Taken("The slug is taken.")
    async with database.unit_of_work() as uow:
        uow.session.add(Tag(slug="red", name="Red"))
        await uow.session.flush()
        uow.session.add(Tag(slug="red", name="Also red"))

        with pytest.raises(Taken) as raised:
            await flush_or_raise(
                uow.session, {CATEGORY_SLUG_UNIQUE: Missing(), TAG_SLUG_UNIQUE: taken}
            )
        await uow.session.rollback()

    assert raised.value is taken


async def test_a_named_foreign_key_raises_its_error(database):
    missing = Missing("No such parent.")
    async with database.unit_of_work() as uow:
        uow.session.add(Category(slug="orphan", name="Orphan", parent_id=2_000_000))

        with pytest.raises(Missing) as raised:
            await flush_or_raise(uow.session, {CATEGORY_PARENT_KEY: missing})
        await uow.session.rollback()

    assert raised.value is missing


async def test_a_constraint_not_named_is_raised_as_it_is(database):
    async with database.unit_of_work() as uow:
        uow.session.add(Tag(slug="blue", name="Blue"))
        await uow.session.flush()
        uow.session.add(Tag(slug="blue", name="Also blue"))

        with pytest.raises(IntegrityError):
            await flush_or_raise(uow.session, {CATEGORY_SLUG_UNIQUE: Taken()})
        await uow.session.rollback()


async def test_a_flush_nothing_refuses_raises_nothing(database):
    async with database.unit_of_work() as uow:
        tag = Tag(slug="green", name="Green")
        uow.session.add(tag)
        await flush_or_raise(uow.session, {TAG_SLUG_UNIQUE: Taken()})

        assert tag.id is not None
