"""Periodic jobs: declared by modules, checked at start, run in the background, once at a time."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest

from core import Job
from core.config.errors import ConfigError
from core.config.plugins_file import parse_plugins_document
from core.config.settings import Settings
from core.kernel.kernel import Kernel
from core.testing.client import app_client
from core.testing.databases import is_postgres
from core.testing.kernel import kernel_of
from tests.fixture_modules.factory import make_plugin


class Counter:
    """A job body that counts its runs and can be made to take its time."""

    def __init__(self, pause: float = 0.0) -> None:
        self.pause = pause
        self.runs = 0
        self.settings: list[object] = []

    async def __call__(self, _uow: object, settings: object) -> None:
        self.runs += 1
        self.settings.append(settings)
        await asyncio.sleep(self.pause)


def _plugins(body: Counter, every: timedelta = timedelta(hours=1), name: str = "tidy.sweep"):
    return {"tidy": make_plugin("tidy", jobs=[Job(name, every, body)])}


@pytest.mark.parametrize(
    ("name", "every", "message"),
    [
        ("sweep", timedelta(hours=1), "invalid job"),
        ("other.sweep", timedelta(hours=1), "must be its own"),
        ("tidy.sweep", timedelta(0), "positive period"),
    ],
)
def test_bad_jobs_fail_at_start(name, every, message):
    config = parse_plugins_document({"modules": {"enabled": ["tidy"]}}, path=None, environ={})

    with pytest.raises(ConfigError, match=message):
        Kernel.load(Settings(), config=config, plugins=_plugins(Counter(), every, name))


async def test_run_once_runs_the_job_in_a_unit_of_work(mosaic_app):
    body = Counter()
    app = await mosaic_app(_plugins(body))
    [job] = [job for job in kernel_of(app).jobs.jobs if job.name == "tidy.sweep"]

    assert await kernel_of(app).jobs.run_once(job) is True
    assert body.runs == 1
    assert body.settings == [None]  # the module takes no settings


async def test_jobs_run_in_the_background_when_enabled(mosaic_app):
    body = Counter()
    app = await mosaic_app(_plugins(body, timedelta(milliseconds=20)), env={"jobs_enabled": True})

    async with app_client(app):
        for _ in range(200):
            if body.runs >= 2:
                break
            await asyncio.sleep(0.01)

    assert body.runs >= 2


async def test_one_worker_at_a_time_runs_a_job(mosaic_app, mosaic_database_url):
    if not is_postgres(mosaic_database_url):
        pytest.skip("the job lock is PostgreSQL's advisory lock; SQLite runs one writer anyway")
    body = Counter(pause=0.3)
    first = await mosaic_app(_plugins(body))
    second = await mosaic_app(_plugins(body))
    [job] = [job for job in kernel_of(first).jobs.jobs if job.name == "tidy.sweep"]

    ran = await asyncio.gather(
        kernel_of(first).jobs.run_once(job), kernel_of(second).jobs.run_once(job)
    )

    assert sorted(ran) == [False, True]
    assert body.runs == 1


async def test_the_kernel_prunes_old_completed_publications(mosaic_app):
    from datetime import UTC, datetime

    from sqlalchemy import select

    from core.events.models import Publication
    from tests.fixture_modules.pings import plugin as pings

    app = await mosaic_app({"pings": pings}, env={"events_retention_days": 7})
    now = datetime.now(UTC)
    async with kernel_of(app).database.unit_of_work() as uow:
        for age_in_days in (8, 6):
            await uow.publish(pings.Pinged(number=age_in_days))
    await kernel_of(app).dispatcher.drain()
    async with kernel_of(app).database.unit_of_work() as uow:
        for publication in (await uow.session.scalars(select(Publication))).all():
            age_in_days = json.loads(publication.payload)["number"]
            publication.completed_at = now - timedelta(days=age_in_days)
    [job] = [job for job in kernel_of(app).jobs.jobs if job.name == "core.prune_publications"]

    await kernel_of(app).jobs.run_once(job)

    async with kernel_of(app).database.unit_of_work() as uow:
        left = (await uow.session.scalars(select(Publication))).all()
    assert [publication.payload for publication in left] == ['{"number":6}']
