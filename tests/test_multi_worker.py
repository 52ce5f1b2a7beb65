"""Several worker processes on PostgreSQL behave as one service.

``mosaic serve --workers 2`` runs against a fresh PostgreSQL database and Redis, exactly as an
operator starts it: a revoked token is refused whichever worker answers, the login throttle counts
across workers, and stock reservations from separate processes never oversell. Runs in the
PostgreSQL pass of CI (``MOSAIC_TEST_DATABASE_URL``), with Redis at ``MOSAIC_TEST_REDIS_URL``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.testing.databases import drop_postgres_database, is_postgres, recreate_postgres_database
from tests.core.installed import (
    ACCOUNTS_PLUGINS,
    MOSAIC,
    clean_environ,
    free_port,
    run_mosaic,
    wait_until_answering,
)

DATABASE = os.environ.get("MOSAIC_TEST_DATABASE_URL", "")
REDIS = os.environ.get("MOSAIC_TEST_REDIS_URL", "")
PASSWORD = "correct horse battery staple"
WORKERS = 2

pytestmark = pytest.mark.skipif(
    not (DATABASE and is_postgres(DATABASE) and REDIS),
    reason="needs MOSAIC_TEST_DATABASE_URL (PostgreSQL) and MOSAIC_TEST_REDIS_URL",
)

PLUGINS_TOML = (
    ACCOUNTS_PLUGINS
    + """
[modules.auth]
login_attempts_per_account = "3/10 minutes"
login_attempts_per_address = "1000/10 minutes"
"""
)


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[tuple[str, dict[str, str], Path, int]]:
    workdir = tmp_path_factory.mktemp("multi-worker")
    (workdir / "plugins.toml").write_text(PLUGINS_TOML)
    url = asyncio.run(recreate_postgres_database(DATABASE, f"mosaic_workers_{os.getpid()}"))
    settings = {
        "MOSAIC_DATABASE_URL": url,
        "MOSAIC_REDIS_URL": REDIS,
        "MOSAIC_ENV": "production",
        "MOSAIC_SECRET_KEY": "multi-worker-test-" + "0123456789abcdefghijklmnopqrstuvwxyz",
        "MOSAIC_TRUSTED_HOSTS": '["127.0.0.1"]',
        # Production needs an SMTP server for the account mails; nothing listens on port 1, so
        # they wait in the registry as they would while a real server is down.
        "MOSAIC_SMTP_URL": "smtp://127.0.0.1:1",
        "MOSAIC_MAIL_FROM": "Mosaic <noreply@example.com>",
    }
    env = clean_environ(env=settings)
    upgrade = run_mosaic("db", "upgrade", env=settings, cwd=workdir, timeout=120)
    assert upgrade.returncode == 0, upgrade.stderr
    admin = run_mosaic(
        *("users", "create-admin", "--email", "root@example.com", "--password-stdin"),
        env=settings,
        cwd=workdir,
        stdin=PASSWORD + "\n",
        timeout=120,
    )
    assert admin.returncode == 0, admin.stderr

    port = free_port()
    log = workdir / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [*MOSAIC, "serve", "--port", str(port), "--workers", str(WORKERS)],
            env=env,
            cwd=workdir,
            stdout=subprocess.DEVNULL,
            stderr=output,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{base}/health/ready", server, log, seconds=60)
        yield base, env, workdir, server.pid
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        asyncio.run(drop_postgres_database(url))


def _fresh_connection(base: str) -> httpx.Client:
    """A client that opens a new connection per request, so the kernel spreads them over the
    workers instead of pinning one keep-alive connection to one of them."""
    return httpx.Client(base_url=base, limits=httpx.Limits(max_keepalive_connections=0), timeout=10)


def _login(client: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    return client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": email, "password": password},
    )


def test_workers_are_separate_processes(service):
    _base, _env, _workdir, pid = service
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    workers = [
        child for child in children if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()
    ]

    assert len(workers) == WORKERS


def test_a_revoked_token_is_refused_by_every_worker(service):
    base, _env, _workdir, _pid = service
    with _fresh_connection(base) as client:
        assert (
            client.post(
                "/api/v1/users", json={"email": "worker@example.com", "password": PASSWORD}
            ).status_code
            == 201
        )
        token = _login(client, "worker@example.com").json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert all(
            client.get("/api/v1/users/me", headers=headers).status_code == 200 for _ in range(10)
        )

        assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204

        statuses = {client.get("/api/v1/users/me", headers=headers).status_code for _ in range(20)}
    assert statuses == {401}


def test_the_login_throttle_counts_across_workers(service):
    base, _env, _workdir, _pid = service
    # Redis outlives this test's database: a fresh account keeps earlier runs' counts away.
    email = f"throttle-{uuid.uuid4().hex}@example.com"
    with _fresh_connection(base) as client:
        client.post("/api/v1/users", json={"email": email, "password": PASSWORD})
        failures = [_login(client, email, "wrong").status_code for _ in range(3)]

        blocked = _login(client, email)

    assert failures == [400, 400, 400]
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0


def test_concurrent_reservations_from_processes_never_oversell(service):
    base, env, workdir, _pid = service
    with _fresh_connection(base) as client:
        admin = _login(client, "root@example.com").json()["access_token"]
        headers = {"Authorization": f"Bearer {admin}"}
        category = client.post(
            "/api/v1/catalogue/categories",
            json={"slug": "stock", "name": "Stock"},
            headers=headers,
        )
        assert category.status_code == 201, category.text
        product = client.post(
            "/api/v1/catalogue/products",
            json={
                "sku": "LAST-ONE",
                "slug": "last-one",
                "name": "The last one",
                "price": "9.90",
                "stock": 3,
                "status": "active",
                "category_id": category.json()["id"],
            },
            headers=headers,
        )
        assert product.status_code == 201, product.text
        product_id = product.json()["id"]

    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.reserve_worker", str(product_id), "5"],
            env=env,
            cwd=workdir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outcomes = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        outcomes += out.split()

    assert outcomes.count("reserved") == 3
    assert outcomes.count("out_of_stock") == 4 * 5 - 3
    with _fresh_connection(base) as client:
        left = client.get(f"/api/v1/catalogue/products/{product_id}").json()["stock"]
    assert left == 0
