"""Starting and stopping the servers under test, always on the loopback, never left running."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.applications import BARE, KERNEL
from bench.config import ADMIN_EMAIL, ADMIN_PASSWORD, HOST, MOSAIC, PYTHON, ROOT

START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 20


@dataclass(frozen=True, slots=True)
class Server:
    """A started server: its base URL, and how to tell it is ready."""

    base: str
    process: subprocess.Popen[bytes]
    ready_path: str
    log: Path

    def wait_ready(self) -> None:
        """Returns once ``ready_path`` answered 200 ten times in a row; raises if it never does."""
        deadline = time.monotonic() + START_TIMEOUT_S
        successes = 0
        while successes < 10:
            if self.process.poll() is not None or time.monotonic() > deadline:
                output = self.log.read_text()[-3000:]
                raise RuntimeError(f"server did not start; its output:\n{output}")
            try:
                ok = httpx.get(self.base + self.ready_path, timeout=5).status_code == 200
            except httpx.TransportError:
                ok = False
            successes = successes + 1 if ok else 0
            time.sleep(0.05 if ok else 0.2)

    def token(self) -> str:
        """Logs the benchmark's admin in; returns an access token."""
        form = {"grant_type": "password", "username": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        answer = httpx.post(f"{self.base}/api/v1/auth/token", data=form, timeout=30)
        answer.raise_for_status()
        token: str = answer.json()["access_token"]
        return token


def free_port() -> int:
    """A TCP port free on the loopback right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def kernel_command(port: int, workers: int) -> list[str]:
    """The operator's command: ``mosaic serve --workers N``."""
    return [MOSAIC, "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)]


def bare_command(port: int, workers: int) -> list[str]:
    """uvicorn serving ``bench/bare_app.py`` with the same worker count, quiet logs."""
    app = ["-m", "uvicorn", "bench.bare_app:create_app_from_environment", "--factory"]
    quiet = ["--no-access-log", "--log-level", "warning", "--proxy-headers"]
    return [PYTHON, *app, "--host", HOST, "--port", str(port), "--workers", str(workers), *quiet]


# How each target is started over a database: its command, the variable naming the database,
# and the path that answers 200 once it serves (the kernel's: database reachable, migrations at
# head; the bare app has no health route, so the smallest page of its list).
_TARGETS: dict[str, tuple[Callable[[int, int], list[str]], str, str]] = {
    KERNEL: (kernel_command, "MOSAIC_DATABASE_URL", "/health/ready"),
    BARE: (bare_command, "BENCH_DATABASE_URL", "/api/v1/catalogue/products?limit=1"),
}


def serving_target(
    target: str, workers: int, *, url: str, env: Mapping[str, str], log: Path
) -> AbstractContextManager[Server]:
    """``target`` (the kernel or the bare app) with ``workers`` workers over the database at
    ``url``, on a free port, until the block ends (call ``wait_ready`` before using it)."""
    command, database_variable, ready_path = _TARGETS[target]
    port = free_port()
    return serving(
        command(port, workers),
        port=port,
        env={**env, database_variable: url},
        ready_path=ready_path,
        log=log,
    )


@contextmanager
def serving(
    command: list[str], *, port: int, env: Mapping[str, str], ready_path: str, log: Path
) -> Iterator[Server]:
    """Runs ``command`` until the block ends (call ``wait_ready`` before using it)."""
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - commands built by this package
            command,
            cwd=ROOT,
            env={**env, "PYTHONPATH": str(ROOT)},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield Server(f"http://{HOST}:{port}", process, ready_path, log)
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (graceful), then SIGKILL of the process group this package started."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(STOP_TIMEOUT_S)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # workers left behind by a crash, if any
    process.wait()
