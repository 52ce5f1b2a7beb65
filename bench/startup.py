"""Startup with many modules: 50 generated modules, installed through real entry points.

Each module is rendered by the kernel's own scaffold (``core.scaffold.create_module``: a package
with ``plugin.py``, a router with four routes, two error classes, a settings model and a table)
into a temporary site directory, which declares them in ``*.dist-info/entry_points.txt`` as a
module team's distribution would. ``bench/startup_probe.py`` then builds the application in a
fresh interpreter, several times; the median is reported.

Bytecode is cached as after an installation (``pip`` compiles it): the interpreters write it to
a temporary ``PYTHONPYCACHEPREFIX`` (never next to the sources), and a first, discarded run fills
that cache.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.config import BENCH, GENERATED_MODULES, PYTHON, ROOT, kernel_settings
from bench.cpu import cpu_ms
from core.app import create_app
from core.config.plugins_file import PluginsConfig, read_plugins_file
from core.scaffold import Layout, create_module

BUILTIN = ("users", "auth", "catalogue")
MEMORY = "sqlite+aiosqlite://"  # never connected to: building the application needs no database


@dataclass(frozen=True, slots=True)
class Startup:
    """Medians over fresh interpreters, in seconds; ``process_s`` includes interpreter start."""

    modules: int
    paths: int
    load_build_s: float
    openapi_s: float
    process_s: float
    runs: int
    health_cpu_ms: float = 0.0


def measure(
    env: Mapping[str, str], *, runs: int, rounds: int, requests: int
) -> tuple[Startup, Startup]:
    """Returns the startup with the built-in modules only, then with 50 generated ones more,
    each with the CPU time of a ``GET /health/live`` (the cost of the request path alone)."""
    with tempfile.TemporaryDirectory(prefix="mosaic-bench-startup-") as directory:
        root = Path(directory)
        site = root / "site"
        names = [f"bench_gen_{i:02d}" for i in range(1, GENERATED_MODULES + 1)]
        _generate(site, root / "tests", names)
        env = {key: value for key, value in env.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env.update(MOSAIC_DATABASE_URL=MEMORY, PYTHONPYCACHEPREFIX=str(root / "pyc"))
        # The baseline does not even have the generated modules installed (discovery imports
        # every installed module, enabled or not).
        baseline = _median(_plugins(root / "base.toml", BUILTIN), env, runs)
        installed = {**env, "PYTHONPATH": str(site)}
        many = _median(_plugins(root / "many.toml", (*BUILTIN, *names)), installed, runs)
        sys.path.insert(0, str(site))
        importlib.invalidate_caches()
        try:
            apps = {
                "base": create_app(kernel_settings(MEMORY, env), config=_config(root, "base")),
                "many": create_app(kernel_settings(MEMORY, env), config=_config(root, "many")),
            }
            health = asyncio.run(cpu_ms(apps, "/health/live", rounds=rounds, requests=requests))
        finally:
            sys.path.remove(str(site))
    return (
        replace(baseline, health_cpu_ms=statistics.median(health["base"])),
        replace(many, health_cpu_ms=statistics.median(health["many"])),
    )


def _config(root: Path, name: str) -> PluginsConfig:
    return read_plugins_file(root / f"{name}.toml")


def _generate(site: Path, tests: Path, names: list[str]) -> None:
    """Renders the modules into ``site`` and declares them as ``mosaic.modules`` entry points."""
    for name in names:
        package = f"mosaic_{name}"
        layout = Layout(site / package, package, tests / name)
        create_module(name, layout, description=f"Generated module {name} for the benchmark.")
    dist = site / "mosaic_bench_generated-0.0.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: mosaic-bench-generated\nVersion: 0.0.0\n", encoding="utf-8"
    )
    lines = "".join(f"{name} = mosaic_{name}.plugin\n" for name in names)
    (dist / "entry_points.txt").write_text(f"[mosaic.modules]\n{lines}", encoding="utf-8")


def _plugins(path: Path, enabled: tuple[str, ...]) -> Path:
    path.write_text(f"[modules]\nenabled = {json.dumps(list(enabled))}\n", encoding="utf-8")
    return path


def _median(plugins: Path, env: Mapping[str, str], runs: int) -> Startup:
    _probe(plugins, env)  # fills the bytecode cache
    samples = [_probe(plugins, env) for _ in range(runs)]
    return Startup(
        modules=samples[0]["modules"],
        paths=samples[0]["paths"],
        load_build_s=statistics.median(s["load_build_s"] for s in samples),
        openapi_s=statistics.median(s["openapi_s"] for s in samples),
        process_s=statistics.median(s["process_s"] for s in samples),
        runs=runs,
    )


def _probe(plugins: Path, env: Mapping[str, str]) -> dict[str, Any]:
    """Runs ``startup_probe.py`` once in a fresh interpreter; returns its timings."""
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - this package's probe, fixed arguments
        [PYTHON, str(BENCH / "startup_probe.py")],
        cwd=ROOT,
        env={**env, "MOSAIC_PLUGINS_FILE": str(plugins)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"startup probe failed: {done.stderr[-3000:]}")
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return {**found, "process_s": elapsed}
