"""How much of the machine other work took while a measurement ran.

Reads every process's CPU time from ``/proc`` before and after a measurement. Processes started
by the benchmark (its descendants) and the PostgreSQL backends serving its database are its
own; everything else is other work. A process that both starts and ends within the measurement
is missed, so the share is a lower bound. A measurement disturbed by other work is redone once
the machine is quiet again, within a budget.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")
OUR_DATABASES = "mosaic_bench_"
DISTURBED = 0.10  # a measurement during which other work took more than this is redone
QUIET = 0.05
WINDOW_S = 5.0
IDLE = 0.05  # of one CPU: the servers have nothing left to do
IDLE_WINDOW_S = 0.5


def foreign_cpu_seconds() -> dict[int, float]:
    """CPU seconds used so far by each live process that is not part of the benchmark."""
    parents, used = _processes()
    ours = _descendants(os.getpid(), parents)
    return {pid: s for pid, s in used.items() if pid not in ours and not _our_backend(pid)}


def server_cpu_seconds() -> float:
    """CPU seconds used so far by the benchmark's servers, their workers and its database
    backends (every process of the benchmark but this one)."""
    parents, used = _processes()
    ours = _descendants(os.getpid(), parents) - {os.getpid()}
    return sum(s for pid, s in used.items() if pid in ours or _our_backend(pid))


def wait_for_idle_servers(limit_s: float) -> None:
    """Returns once the servers used less than 5% of one CPU over 0.5 s, or after ``limit_s``.

    A server may still be working after wrk stops: requests queued behind the last ones (a
    login's argon2id takes 100 ms or more), or their sessions closing. That work must not land
    in the next measurement, which may be of the other application.
    """
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        before = server_cpu_seconds()
        time.sleep(IDLE_WINDOW_S)
        if server_cpu_seconds() - before < IDLE_WINDOW_S * IDLE:
            return


def _processes() -> tuple[dict[int, int], dict[int, float]]:
    """The parent and the CPU seconds used so far of every live process."""
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:  # the process ended meanwhile
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        used[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    return parents, used


def foreign_share(before: dict[int, float], after: dict[int, float], seconds: float) -> float:
    """The share of all CPUs other work used between two readings ``seconds`` apart."""
    spent = sum(total - before.get(pid, 0.0) for pid, total in after.items())
    cpus = len(os.sched_getaffinity(0))
    return max(0.0, spent / (seconds * cpus))


def _descendants(root: int, parents: dict[int, int]) -> set[int]:
    found = {root}
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in found and pid not in found:
                found.add(pid)
                changed = True
    return found


def _our_backend(pid: int) -> bool:
    try:
        command = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return False
    return command.startswith(b"postgres: ") and OUR_DATABASES.encode() in command


@dataclass(slots=True)
class RetryBudget:
    """How many disturbed measurements a run may redo, and how many it did."""

    remaining: int
    used: int = 0

    def take(self) -> bool:
        """Spends one retry; returns ``False`` when none is left."""
        if self.remaining <= 0:
            return False
        self.remaining -= 1
        self.used += 1
        return True


def wait_for_quiet(limit_s: float) -> None:
    """Returns once other work took less than 5% of the CPUs over 5 s, or after ``limit_s``."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        before, started = foreign_cpu_seconds(), time.monotonic()
        time.sleep(WINDOW_S)
        if foreign_share(before, foreign_cpu_seconds(), time.monotonic() - started) < QUIET:
            return
