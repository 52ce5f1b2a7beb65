"""``core.run_in_unit_of_work``: a command's database work commits when it returns, is rolled
back when it raises, and leaves no connection open either way."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core import run_in_unit_of_work
from core.config.plugins_file import parse_plugins_document
from core.config.settings import Settings
from core.db import UnitOfWork
from core.kernel.kernel import Kernel


class Refused(Exception):
    pass


@pytest.fixture
def kernel(tmp_path) -> Kernel:
    config = parse_plugins_document({"modules": {"enabled": []}}, path=None, environ={})
    url = f"sqlite+aiosqlite:///{tmp_path / 'command.db'}"
    kernel = Kernel.load(Settings(database_url=url), config=config, plugins={})
    run_in_unit_of_work(kernel, _execute("CREATE TABLE notes (body TEXT)"))
    return kernel


def _execute(statement: str):
    async def work(uow: UnitOfWork) -> None:
        await uow.session.execute(text(statement))

    return work


async def _bodies(uow: UnitOfWork) -> list[str]:
    return list((await uow.session.scalars(text("SELECT body FROM notes"))).all())


def test_the_work_commits_and_its_result_is_returned(kernel):
    async def work(uow: UnitOfWork) -> int:
        await uow.session.execute(text("INSERT INTO notes (body) VALUES ('kept')"))
        return 7

    assert run_in_unit_of_work(kernel, work) == 7
    assert run_in_unit_of_work(kernel, _bodies) == ["kept"]


def test_work_that_raises_is_rolled_back_and_the_error_goes_on(kernel):
    async def work(uow: UnitOfWork) -> None:
        await uow.session.execute(text("INSERT INTO notes (body) VALUES ('lost')"))
        raise Refused

    with pytest.raises(Refused):
        run_in_unit_of_work(kernel, work)
    assert run_in_unit_of_work(kernel, _bodies) == []


def test_no_connection_is_left_open(kernel):
    run_in_unit_of_work(kernel, _bodies)
    pool = kernel.database.engine.pool
    assert (pool.checkedout(), pool.checkedin()) == (0, 0)
