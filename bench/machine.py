"""What the figures were measured on: date, CPU, load, and the versions that matter."""

from __future__ import annotations

import hashlib
import os
import platform
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from bench.config import ROOT

PACKAGES = ("fastapi", "starlette", "sqlalchemy", "pydantic", "uvicorn", "asyncpg", "aiosqlite")
REFERENCE_ITERATIONS = 300_000
REFERENCE_RUNS = 20


@dataclass(frozen=True, slots=True)
class Machine:
    """The machine and software of a run."""

    date: str
    cpus: int
    cpu_model: str
    python: str
    packages: dict[str, str]
    load_before: tuple[float, float, float]
    source_digest: str
    reference_before_ms: float

    @classmethod
    def describe(cls) -> Machine:
        """Reads the machine now."""
        return cls(
            date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            cpus=len(os.sched_getaffinity(0)),  # what `nproc` prints
            cpu_model=_cpu_model(),
            python=platform.python_version(),
            packages={name: version(name) for name in PACKAGES},
            load_before=os.getloadavg(),
            source_digest=source_digest(),
            reference_before_ms=reference_ms(),
        )


def _cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        return platform.processor() or "unknown"
    for line in lines:
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return "unknown"


def source_digest() -> str:
    """A short SHA-256 of the kernel's and the modules' Python sources: which code was measured."""
    digest = hashlib.sha256()
    for path in sorted([*ROOT.glob("core/**/*.py"), *ROOT.glob("modules/**/*.py")]):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def load_average() -> tuple[float, float, float]:
    """The 1, 5 and 15 minute load averages (as ``uptime`` shows them)."""
    return os.getloadavg()


def reference_ms() -> float:
    """The median time of a fixed pure-Python loop, in milliseconds: how fast the machine runs
    Python right now. Virtual machines of the same kind, and the same machine from one minute
    to the next, differ by tens of percent; this tells runs on a slow spell from slow code."""
    timings = []
    for _ in range(REFERENCE_RUNS):
        started = time.perf_counter()
        total = 0
        for i in range(REFERENCE_ITERATIONS):
            total += i * i % 7
        timings.append((time.perf_counter() - started) * 1000)
    return sorted(timings)[REFERENCE_RUNS // 2]
