"""``mosaic auth prune-sessions``: expired and revoked sessions go, live ones stay."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import text, update

from core.cli import cli
from core.testing.kernel import kernel_of
from modules.auth.models import LoginSession
from tests.modules.auth.conftest import FAST_HASHING, login, me, register, token_authority


async def _sessions(app):
    async with kernel_of(app).database.unit_of_work() as uow:
        return (await uow.session.execute(text("SELECT count(*) FROM auth_sessions"))).scalar()


async def test_prune_removes_expired_and_revoked_sessions_only(
    app, client, mosaic_database_url, tmp_path
):
    await register(client, "pruned@example.com")
    live = await login(client, "pruned@example.com")
    revoked = await login(client, "pruned@example.com")
    expired = await login(client, "pruned@example.com")
    assert (await client.post("/api/v1/auth/logout", headers=revoked.headers)).status_code == 204
    claims = token_authority(app).codec.verify(expired.access, "at+jwt")
    async with kernel_of(app).database.unit_of_work() as uow:
        await uow.session.execute(
            update(LoginSession)
            .where(LoginSession.id == uuid.UUID(claims["sid"]))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    plugins = tmp_path / "plugins.toml"
    hashing = "\n".join(f"{key} = {value}" for key, value in FAST_HASHING.items())
    plugins.write_text(f'[modules]\nenabled = ["users", "auth"]\n\n[modules.users]\n{hashing}\n')
    env = {"MOSAIC_PLUGINS_FILE": str(plugins), "MOSAIC_DATABASE_URL": mosaic_database_url}

    result = await asyncio.to_thread(CliRunner().invoke, cli, ["auth", "prune-sessions"], env=env)

    assert result.exit_code == 0, result.output
    assert "removed 2 expired or revoked sessions" in result.stdout
    assert await _sessions(app) == 1
    assert (await me(client, live.access)).status_code == 200
    assert (await me(client, expired.access)).status_code == 401


async def test_the_hourly_job_prunes_sessions_too(app, client):
    await register(client, "hourly@example.com")
    session = await login(client, "hourly@example.com")
    assert (await client.post("/api/v1/auth/logout", headers=session.headers)).status_code == 204
    jobs = kernel_of(app).jobs
    [job] = [job for job in jobs.jobs if job.name == "auth.prune_sessions"]
    assert job.every == timedelta(hours=1)

    await jobs.run_once(job)

    assert await _sessions(app) == 0
