"""``mosaic serve`` started in a subprocess on a free loopback port, as an operator starts it."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.core.installed import MOSAIC, clean_environ, free_port, run_mosaic


@dataclass(frozen=True)
class Server:
    base: str
    port: int
    log: Path

    def records(self) -> list[dict[str, Any]]:
        """The JSON log lines written so far."""
        lines = self.log.read_text().splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]


@contextmanager
def serving(workdir: Path, plugins_toml: str, env: Mapping[str, str]) -> Iterator[Server]:
    """Migrates a fresh SQLite database, then serves it with ``env`` until the block ends."""
    (workdir / "plugins.toml").write_text(plugins_toml)
    environ = {
        "MOSAIC_DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/mosaic.db",
        "MOSAIC_LOG_FORMAT": "json",
        **env,
    }
    upgrade = run_mosaic("db", "upgrade", cwd=workdir, env=environ)
    assert upgrade.returncode == 0, upgrade.stderr
    full = clean_environ(env=environ)
    port = free_port()
    server = Server(base=f"http://127.0.0.1:{port}", port=port, log=workdir / "server.log")
    with server.log.open("w") as log:
        process = subprocess.Popen(
            [*MOSAIC, "serve", "--port", str(port)],
            cwd=workdir,
            env=full,
            stdout=log,
            stderr=log,
        )
    try:
        _wait_until_live(server, process)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_live(server: Server, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, server.log.read_text()
        try:
            if httpx.get(f"{server.base}/health/live", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise AssertionError("the server did not start:\n" + server.log.read_text())
