"""A worker killed with SIGKILL between commit and delivery loses nothing: another delivers."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap

from sqlalchemy import select

from core.events.models import Publication
from core.testing.kernel import kernel_of
from tests.core.installed import ROOT
from tests.fixture_modules.pings import plugin as pings

WORKER = textwrap.dedent(
    """
    import asyncio, sys
    from core.config.plugins_file import parse_plugins_document
    from core.config.settings import Settings
    from core.kernel.kernel import Kernel
    from tests.fixture_modules.pings import plugin as pings

    async def main():
        config = parse_plugins_document({"modules": {"enabled": ["pings"]}}, path=None, environ={})
        settings = Settings(database_url=sys.argv[1], events_lease=1.0)
        kernel = Kernel.load(settings, config=config, plugins={"pings": pings})
        async with kernel.database.unit_of_work() as uow:
            await uow.publish(pings.Pinged(number=42))
        print("committed", flush=True)
        await kernel.dispatcher.drain()  # the listener hangs: killed in there

    asyncio.run(main())
    """
)


async def _publication(app) -> Publication:
    async with kernel_of(app).database.unit_of_work() as uow:
        publication: Publication = (await uow.session.scalars(select(Publication))).one()
        return publication


async def test_a_killed_worker_s_publication_is_delivered_by_another(
    mosaic_app, mosaic_database_url, deliver_events
):
    app = await mosaic_app({"pings": pings})
    pings.RECEIVED.clear()
    env = {**os.environ, pings.HANG_ENV: "1", "PYTHONPATH": str(ROOT)}
    worker = await asyncio.create_subprocess_exec(
        sys.executable, "-c", WORKER, mosaic_database_url, env=env, stdout=subprocess.PIPE
    )
    try:
        assert worker.stdout is not None
        assert (await worker.stdout.readline()).strip() == b"committed"
        for _ in range(200):  # until the worker holds the lease, inside the listener
            if (await _publication(app)).claim is not None:
                break
            await asyncio.sleep(0.05)
        leased = await _publication(app)
        assert (leased.claim, leased.attempts, leased.status) != (None, 0, "completed")
    finally:
        worker.send_signal(signal.SIGKILL)
        await asyncio.wait_for(worker.wait(), timeout=10)

    assert await deliver_events(app) == 0  # its lease still holds: nobody else may take it
    await asyncio.sleep(1.1)  # the lease runs out
    assert await deliver_events(app) == 1

    delivered = await _publication(app)
    assert pings.RECEIVED == [42]
    assert (delivered.status, delivered.attempts) == ("completed", 2)
