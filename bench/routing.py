"""What the kernel's own routing pieces cost or save, counted in CPU instructions per request.

    .venv/bin/python -m bench.routing [--requests N]

The kernel replaces two parts of FastAPI's routing (``core/http/routes.py:mount`` instead of
``include_router``, and ``core/http/methods.py`` answering 405 before Starlette's router). Each is
kept only if it pays; this script gives the figure. Three builds of the default application
(``plugins.toml``) serve the same requests in-process under valgrind's callgrind, as
``bench/instruction_probe.py`` does, so the counts do not move with the load of the machine:

- ``shipped``: the application as ``create_app`` builds it;
- ``include_router``: every module's router included as FastAPI does it (``mount`` replaced);
- ``no-405-middleware``: ``MethodNotAllowedMiddleware`` left out of the stack.

Requests: ``GET /health/live`` (routed after every module's routes, no database, no dependency)
and ``GET /api/v1/errors/core.internal_error`` (routed before the modules' routes). Prints a
Markdown table; the figures are written down in ``bench/RESULTS.md`` by hand.
"""

from __future__ import annotations

import argparse
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from fastapi import APIRouter, FastAPI

import core.app
from bench.config import PYTHON, ROOT
from bench.in_process import serve_measured
from core.config.settings import load_settings
from core.http.methods import MethodNotAllowedMiddleware

VARIANTS = ("shipped", "include_router", "no-405-middleware")
PATHS = ("/health/live", "/api/v1/errors/core.internal_error")
TIMEOUT_S = 900
_TOTALS = re.compile(rb"^totals:\s+(\d+)", re.MULTILINE)


def _include(app: FastAPI, router: APIRouter, *, owner: str, prefix: str = "") -> None:
    # Operation ids (from `owner`) do not change how a request is routed.
    app.include_router(router, prefix=prefix)


@contextmanager
def _variant(name: str) -> Iterator[None]:
    """Builds applications the way ``name`` says while the block runs."""
    if name == "shipped":
        yield
    elif name == "include_router":
        with mock.patch.object(core.app, "mount", _include):
            yield
    elif name == "no-405-middleware":
        original: Callable[..., list[Any]] = core.app._middleware

        def without_405(*args: Any) -> list[Any]:
            return [m for m in original(*args) if m.cls is not MethodNotAllowedMiddleware]

        with mock.patch.object(core.app, "_middleware", without_405):
            yield
    else:
        raise ValueError(f"unknown variant {name!r}; expected one of {', '.join(VARIANTS)}")


def probe(variant: str, path: str, requests: int) -> None:
    """Serves ``requests`` requests of ``GET path`` inside ``qsort``, after a warm-up (run under
    callgrind by :func:`count`: only what runs inside ``qsort`` is counted)."""
    directory = tempfile.mkdtemp(prefix="mosaic-routing-")
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{directory}/bench.db",
        env="development",
        secret_key=secrets.token_urlsafe(48),
        plugins_file=str(ROOT / "plugins.toml"),
        log_level="WARNING",
        metrics_enabled=False,
        events_dispatch=False,
        jobs_enabled=False,
    )
    with _variant(variant):
        app = core.app.create_app(settings)
    serve_measured(lambda: app, path, requests)
    shutil.rmtree(directory, ignore_errors=True)


def count(requests: int) -> dict[tuple[str, str], float]:
    """Returns the instructions per request of every (variant, path), two probes at a time."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise RuntimeError("valgrind is not installed")
    jobs = [(variant, path) for variant in VARIANTS for path in PATHS]
    counts: dict[tuple[str, str], float] = {}
    with tempfile.TemporaryDirectory(prefix="mosaic-callgrind-") as directory:
        for start in range(0, len(jobs), 2):
            running = {}
            for index, (variant, path) in enumerate(jobs[start : start + 2], start):
                output = Path(directory) / f"{index}.out"
                command = [
                    valgrind,
                    "--tool=callgrind",
                    "--collect-atstart=no",
                    "--toggle-collect=*qsort_r",
                    f"--callgrind-out-file={output}",
                    PYTHON,
                    "-m",
                    "bench.routing",
                    "--probe",
                    variant,
                    path,
                    str(requests),
                ]
                process = subprocess.Popen(  # noqa: S603 - valgrind and this module
                    command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
                )
                running[(variant, path)] = (process, output)
            for key, (process, output) in running.items():
                _, errors = process.communicate(timeout=TIMEOUT_S)
                if process.returncode != 0:
                    raise RuntimeError(f"the {key} probe failed: {errors.decode()[-3000:]}")
                found = _TOTALS.search(output.read_bytes())
                if found is None:
                    raise RuntimeError(f"callgrind wrote no total for the {key} probe")
                counts[key] = int(found.group(1)) / requests
    return counts


def table(counts: dict[tuple[str, str], float]) -> str:
    """The counts as a Markdown table, each against the shipped build."""
    lines = [
        "| build | " + " | ".join(f"`GET {path}`" for path in PATHS) + " |",
        "|---|" + "---:|" * len(PATHS),
    ]
    for variant in VARIANTS:
        cells = []
        for path in PATHS:
            value = counts[(variant, path)]
            base = counts[("shipped", path)]
            change = "" if variant == "shipped" else f" ({(value - base) / base:+.1%})"
            cells.append(f"{value / 1000:,.0f}k{change}")
        lines.append(f"| {variant} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--probe", nargs=3, metavar=("VARIANT", "PATH", "REQUESTS"))
    arguments = parser.parse_args(argv)
    if arguments.probe:
        variant, path, requests = arguments.probe
        probe(variant, path, int(requests))
        return
    print(table(count(arguments.requests)))


if __name__ == "__main__":
    main(sys.argv[1:])
