"""``mosaic serve`` started in a subprocess on a free loopback port, as an operator starts it."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.core.installed import (
    MOSAIC,
    clean_environ,
    free_port,
    run_mosaic,
    wait_until_answering,
)


@dataclass(frozen=True)
class Server:
    base: str
    port: int
    log: Path
    workdir: Path
    database_url: str

    def records(self) -> list[dict[str, Any]]:
        """The JSON log lines written so far."""
        lines = self.log.read_text().splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def mosaic(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """Runs the ``mosaic`` CLI in the server's folder over its database, with none of the
        server's other settings, as an operator at its console would."""
        env = {"MOSAIC_DATABASE_URL": self.database_url}
        return run_mosaic(*args, cwd=self.workdir, env=env, stdin=stdin)


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
    server = Server(
        base=f"http://127.0.0.1:{port}",
        port=port,
        log=workdir / "server.log",
        workdir=workdir,
        database_url=environ["MOSAIC_DATABASE_URL"],
    )
    with server.log.open("w") as log:
        process = subprocess.Popen(
            [*MOSAIC, "serve", "--port", str(port)],
            cwd=workdir,
            env=full,
            stdout=log,
            stderr=log,
        )
    try:
        wait_until_answering(f"{server.base}/health/live", process, server.log)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)
