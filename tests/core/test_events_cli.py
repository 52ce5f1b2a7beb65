"""``mosaic events list|retry|prune``, run as an operator would against the registry."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from core.cli import cli
from core.events.models import Publication
from core.testing.kernel import kernel_of


@pytest.fixture
async def app(mosaic_app):
    from modules.users import plugin as users

    return await mosaic_app({"users": users})


@pytest.fixture
def mosaic(app, mosaic_database_url, tmp_path):
    plugins = tmp_path / "operator-plugins.toml"
    plugins.write_text('[modules]\nenabled = ["users"]\n')
    env = {"MOSAIC_PLUGINS_FILE": str(plugins), "MOSAIC_DATABASE_URL": mosaic_database_url}

    async def run(*args):
        return await asyncio.to_thread(CliRunner().invoke, cli, list(args), env=env)

    return run


async def _add(app, *, status: str, age: timedelta = timedelta(0), kind="users.deleted.v1"):
    now = datetime.now(UTC)
    publication = Publication(
        id=uuid.uuid4(),
        event_id=uuid.uuid4(),
        event_type=kind,
        module="users",
        listener="auth.end_sessions",
        payload="{}",
        occurred_at=now - age,
        attempts=3 if status == "abandoned" else 1,
        next_attempt_at=now,
        completed_at=now - age if status == "completed" else None,
        abandoned_at=now if status == "abandoned" else None,
        last_error="RuntimeError: boom" if status == "abandoned" else None,
    )
    async with kernel_of(app).database.unit_of_work() as uow:
        uow.session.add(publication)
    return publication.id


async def _statuses(app) -> dict[uuid.UUID, str]:
    async with kernel_of(app).database.unit_of_work() as uow:
        return {p.id: p.status for p in (await uow.session.scalars(select(Publication))).all()}


async def test_list_filters_by_status_and_type(app, mosaic):
    abandoned = await _add(app, status="abandoned")
    await _add(app, status="completed")
    await _add(app, status="incomplete", kind="users.password_changed.v1")

    everything = await mosaic("events", "list", "--json")
    only = await mosaic("events", "list", "--status", "abandoned")
    typed = await mosaic("events", "list", "--type", "users.password_changed.v1", "--json")

    assert everything.exit_code == 0, everything.output
    assert len(json.loads(everything.stdout)) == 3
    assert str(abandoned) in only.stdout
    assert "last error: RuntimeError: boom" in only.stdout
    assert only.stdout.count("->") == 1
    assert [row["status"] for row in json.loads(typed.stdout)] == ["incomplete"]


async def test_retry_resubmits_one_or_every_abandoned_publication(app, mosaic):
    first = await _add(app, status="abandoned")
    second = await _add(app, status="abandoned")
    third = await _add(app, status="abandoned")

    one = await mosaic("events", "retry", str(first))
    unknown = await mosaic("events", "retry", str(uuid.uuid4()))
    rest = await mosaic("events", "retry", "--all-abandoned")
    neither = await mosaic("events", "retry")

    assert (one.exit_code, one.stdout) == (0, "resubmitted 1 publication\n")
    assert unknown.exit_code == 1
    assert rest.stdout == "resubmitted 2 publications\n"
    assert neither.exit_code == 2
    statuses = await _statuses(app)
    assert {statuses[first], statuses[second], statuses[third]} == {"incomplete"}


async def test_prune_removes_old_completed_publications_only(app, mosaic):
    old = await _add(app, status="completed", age=timedelta(days=8))
    recent = await _add(app, status="completed", age=timedelta(days=1))
    waiting = await _add(app, status="abandoned", age=timedelta(days=30))

    result = await mosaic("events", "prune", "--older-than", "7d")
    bad = await mosaic("events", "prune", "--older-than", "a week")

    assert result.stdout == "removed 1 completed publication\n"
    assert bad.exit_code == 2
    assert "not a duration" in bad.output
    assert set(await _statuses(app)) == {recent, waiting}
    assert old not in await _statuses(app)


async def test_modules_list_shows_what_each_module_publishes_and_hears(mosaic, tmp_path):
    result = await mosaic("modules", "list", "--json")

    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["users"]["publishes"] == [
        "users.password_changed.v1",
        "users.deactivated.v1",
        "users.deleted.v1",
        "users.verification_requested.v1",
        "users.password_reset_requested.v1",
    ]
    assert rows["auth"]["listens_to"] == [
        "users.deactivated.v1",
        "users.deleted.v1",
        "users.password_changed.v1",
    ]
