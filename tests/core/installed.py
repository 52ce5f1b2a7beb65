"""Running the tools in a fresh process, as an operator or a module team does: the ``mosaic`` CLI
over fixture modules installed through real ``mosaic.modules`` entry points, a server on a free
port, pytest and import-linter, each with a database of its own where it needs one."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from core.testing.databases import drop_postgres_database, is_postgres, recreate_postgres_database

ROOT = Path(__file__).resolve().parents[2]
#: The ``mosaic`` CLI in a fresh interpreter, importing this checkout.
MOSAIC = (sys.executable, "-c", "from core.cli import main; main()")
#: ``plugins.toml`` of a service with accounts and the catalogue, hashing passwords at OWASP's
#: minimum so a test logs in quickly.
ACCOUNTS_PLUGINS = """
[modules]
enabled = ["users", "auth", "catalogue"]

[modules.users]
argon2_memory_cost = 19456
argon2_time_cost = 2
argon2_parallelism = 1
"""
#: pytest in a fresh interpreter, in one process.
PYTEST = (sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist")


def clean_environ(
    paths: Sequence[Path] = (), env: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Returns this process's environment without Mosaic's settings or the metrics directory,
    importing from ``paths`` first, then from this repository, and ``env`` on top."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MOSAIC_", "PROMETHEUS_"))}
    environ["PYTHONPATH"] = os.pathsep.join([*(str(path) for path in paths), str(ROOT)])
    environ.update(env or {})
    return environ


def run(
    command: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    timeout: float = 60,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Runs ``command`` to its end with its output captured as text; never raises on failure."""
    return subprocess.run(
        list(command),
        cwd=cwd,
        env=dict(env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def install_entry_points(site: Path, modules: Mapping[str, str]) -> None:
    """Writes a distribution into ``site`` that declares ``modules`` as entry points."""
    dist = site / "mosaic_fixtures-0.0.0.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: mosaic-fixtures\nVersion: 0.0.0\n")
    lines = "".join(f"{name} = {target}\n" for name, target in modules.items())
    (dist / "entry_points.txt").write_text(f"[mosaic.modules]\n{lines}")


def layered_environment(path: Path) -> Path:
    """Creates a virtual environment at ``path`` that sees every package of the running one
    (through a ``.pth`` file) and installs into its own site directory, so a test can
    ``pip install`` into it and leave the running environment as it was. Returns its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    python = path / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    running = sysconfig.get_path("purelib")
    (Path(purelib) / "_running_environment.pth").write_text(
        f"import site; site.addsitedir({running!r})\n"
    )
    return python


def run_mosaic(
    *args: str,
    cwd: Path,
    site: Path | None = None,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 60,
    python: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Runs the ``mosaic`` CLI in a fresh interpreter (``python``, by default the running one),
    as an operator would."""
    environ = clean_environ([site] if site else [], env)
    command = (str(python), *MOSAIC[1:]) if python else MOSAIC
    return run([*command, *args], cwd=cwd, env=environ, stdin=stdin, timeout=timeout)


def run_lint_imports(cwd: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    """Runs import-linter over the contracts of ``cwd``'s pyproject.toml, importing from
    ``paths`` first, then from this repository."""
    command = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"]
    return run(command, cwd=cwd, env=clean_environ(paths), timeout=120)


def broken_contracts(output: str) -> set[str]:
    """The names of the contracts ``lint-imports`` reports broken."""
    return {line.split(" BROKEN")[0] for line in output.splitlines() if " BROKEN" in line}


def free_port() -> int:
    """Returns a loopback port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_answering(
    url: str, process: subprocess.Popen[Any], log: Path, *, seconds: float = 30
) -> None:
    """Waits until ``GET url`` answers 200; fails with the server's ``log`` if ``process`` ends
    first or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not answer 200 in {seconds}s:\n{log.read_text()}")


@contextmanager
def own_database(directory: Path, name: str) -> Iterator[str]:
    """Yields the URL of a database of the block's own: a SQLite file in ``directory``, or a
    fresh PostgreSQL database (dropped after) when the tests run on PostgreSQL."""
    server = os.environ.get("MOSAIC_TEST_DATABASE_URL", "")
    if not server or not is_postgres(server):
        yield f"sqlite+aiosqlite:///{directory / f'{name}.db'}"
        return
    base = server.rsplit("/", 1)[-1] or "mosaic_test"
    url = asyncio.run(recreate_postgres_database(server, f"{base}_{name}"))
    try:
        yield url
    finally:
        asyncio.run(drop_postgres_database(url))
