"""Mosaic's benchmark: ``.venv/bin/python bench/run.py [--quick]``.

Seeds a fresh PostgreSQL database and a fresh SQLite file, serves each with ``mosaic serve`` (1
and 2 workers) next to a bare FastAPI + SQLAlchemy app, drives both with wrk, counts SQL
statements, CPU time and instructions in-process, times startup with 50 generated modules, and
writes ``bench/RESULTS.md``.
See ``bench/README.md`` for what each figure means.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `bench` from any directory

from bench import hashing, instructions, matrix, startup, statements
from bench.config import BENCH, FULL, LIST_PAGE, QUICK, base_environment
from bench.databases import fresh_postgres, fresh_sqlite
from bench.machine import Machine, load_average, reference_ms
from bench.noise import RetryBudget
from bench.report import Results, render
from bench.seed import prepare

WORKERS = (1, 2)


def main(argv: list[str] | None = None) -> int:
    """Runs every measurement, writes the report and prints it; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="short runs (under 3 minutes)")
    parser.add_argument("--output", type=Path, default=BENCH / "RESULTS.md")
    args = parser.parse_args(argv)
    profile = QUICK if args.quick else FULL
    env = base_environment()
    # Applications built in-process read the environment too: the shell's MOSAIC_* must not leak.
    for key in [key for key in os.environ if key.startswith("MOSAIC_")]:
        del os.environ[key]
    started = time.monotonic()
    machine = Machine.describe()
    retries = RetryBudget(profile.retries)
    figures: list[matrix.Figure] = []
    counts: list[statements.StatementCounts] = []
    with tempfile.TemporaryDirectory(prefix="mosaic-bench-") as directory:
        workdir = Path(directory)
        for fresh in (fresh_postgres, fresh_sqlite):
            with fresh() as database:
                _say(f"{database.label}: migrating and seeding")
                catalogue, seconds = prepare(database.url, env)
                _say(f"{database.label}: seeded in {seconds:.1f} s; counting statements")
                active = catalogue.active_ids()
                counted = statements.measure(
                    database.label,
                    database.url,
                    env,
                    active[0],
                    rounds=profile.cpu_rounds,
                    requests=profile.cpu_requests,
                )
                counts.append(asyncio.run(counted))
                if instructions.available():
                    _say(f"{database.label}: counting instructions (callgrind)")
                    counts[-1].instructions = instructions.per_request(
                        database.url,
                        f"{statements.LIST}?limit={LIST_PAGE}",
                        env,
                        requests=profile.callgrind_requests,
                    )
                for workers in WORKERS:
                    _say(f"{database.label}, {workers} worker(s): load")
                    figures += matrix.measure(
                        database,
                        workers,
                        env=env,
                        active_ids=active,
                        profile=profile,
                        workdir=workdir,
                        retries=retries,
                    )
    _say("startup with generated modules")
    timings = startup.measure(
        env, runs=profile.startup_runs, rounds=profile.cpu_rounds, requests=profile.cpu_requests * 5
    )
    hash_ms = hashing.verification_ms()
    _say("done")
    results = Results(
        machine=machine,
        profile=profile,
        figures=figures,
        statements=counts,
        startup=timings,
        hash_ms=hash_ms,
        retries=retries,
        load_after=load_average(),
        reference_after_ms=reference_ms(),
        minutes=(time.monotonic() - started) / 60,
    )
    report = render(results)
    args.output.write_text(report, encoding="utf-8")
    print(report)
    return 0


_STARTED = time.monotonic()


def _say(message: str) -> None:
    print(f"[bench {time.monotonic() - _STARTED:5.0f}s] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
