"""The kernel against the floor: ``.venv/bin/python bench/floor.py [--pairs 6] [--seconds 4]``.

Seeds a fresh PostgreSQL database as ``bench/run.py`` does, then compares ``mosaic serve`` with
the floor (``bench/floor_app.py``: Starlette + asyncpg + orjson, the same bytes): CPU
instructions per request in-process under callgrind (product list, product by id, and
``/users/me`` against the floor's product by id; then the list and by id on a fresh SQLite file
against the floor on aiosqlite), req/s in interleaved pairs of wrk runs (1 and 2 workers, median
of the pairs' ratios), and the resident memory of one kernel worker after 10,000 and 50,000
requests. Prints a markdown report; not part of ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `bench` from any directory

from bench import instructions, load
from bench.applications import FLOOR, KERNEL
from bench.config import HOST, LIST_PAGE, PYTHON, base_environment
from bench.databases import fresh_postgres, fresh_sqlite
from bench.in_process import CLIENT
from bench.machine import load_average
from bench.seed import prepare
from bench.servers import Server, free_port, kernel_command, serving

LIST = f"/api/v1/catalogue/products?limit={LIST_PAGE}"
WRK_THREADS = 2
WRK_CONNECTIONS = 32
RSS_CONNECTIONS = 16
RSS_CHUNK_S = 5


def floor_command(port: int, workers: int) -> list[str]:
    """uvicorn serving the floor with ``workers`` workers, quiet logs."""
    app = ["-m", "uvicorn", "bench.floor_app:create_app_from_environment", "--factory"]
    quiet = ["--no-access-log", "--log-level", "warning"]
    return [PYTHON, *app, "--host", HOST, "--port", str(port), "--workers", str(workers), *quiet]


def main(argv: list[str] | None = None) -> int:
    """Measures, prints the report; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pairs", type=int, default=6, help="0 leaves the req/s pairs out")
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument(
        "--callgrind-requests", type=int, default=10, help="0 leaves the instruction counts out"
    )
    parser.add_argument("--rss", type=int, nargs="*", default=[10_000, 50_000])
    args = parser.parse_args(argv)
    env = base_environment()
    lines = [f"- load average before: {', '.join(f'{x:.2f}' for x in load_average())}"]
    with fresh_postgres() as database, tempfile.TemporaryDirectory() as directory:
        catalogue, _ = prepare(database.url, env)
        product = f"/api/v1/catalogue/products/{catalogue.active_ids()[0]}"
        if args.callgrind_requests and instructions.available():
            lines += _instructions(database.url, env, product, args.callgrind_requests)
            lines += _sqlite_instructions(env, args.callgrind_requests)
        ids = catalogue.active_ids()[:500]
        for workers in (1, 2) if args.pairs else ():
            lines += _pairs(
                database.url, env, workers=workers, ids=ids, args=args, workdir=Path(directory)
            )
        if args.rss:
            lines += _rss(database.url, env, ids, args.rss, Path(directory))
    lines.append(f"- load average after: {', '.join(f'{x:.2f}' for x in load_average())}")
    print("\n".join(lines))
    return 0


def _instructions(url: str, env: dict[str, str], product: str, requests: int) -> list[str]:
    _say("callgrind")
    by_id = instructions.per_request(
        url, product, env, requests=requests, targets=(KERNEL, FLOOR, CLIENT)
    )
    listed = instructions.per_request(url, LIST, env, requests=requests, targets=(KERNEL, FLOOR))
    me = instructions.per_request(
        url, "/api/v1/users/me", env, requests=requests, targets=(KERNEL,), login=True
    )
    client = by_id[CLIENT]
    lines = [
        "",
        f"The in-process client's own share, counted in each figure: {client / 1e6:.2f}M "
        "(`bench.in_process.fixed_answer`); "
        "the last column leaves it out of both.",
        "",
        "| request | kernel M instr. | floor M instr. | floor/kernel | net of the client |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, kernel, floor in (
        (f"product list, page of {LIST_PAGE}", listed[KERNEL], listed[FLOOR]),
        ("product by id", by_id[KERNEL], by_id[FLOOR]),
        ("`/users/me` (floor: product by id)", me[KERNEL], by_id[FLOOR]),
    ):
        net = (floor - client) / (kernel - client)
        lines.append(
            f"| {label} | {kernel / 1e6:.2f} | {floor / 1e6:.2f} | {floor / kernel:.2f} "
            f"| {net:.2f} |"
        )
    return lines


def _sqlite_instructions(env: dict[str, str], requests: int) -> list[str]:
    _say("callgrind, SQLite")
    lines = [
        "",
        "| SQLite request | kernel M instr. | floor M instr. | floor/kernel |",
        "|---|---:|---:|---:|",
    ]
    with fresh_sqlite() as database:
        catalogue, _ = prepare(database.url, env)
        product = f"/api/v1/catalogue/products/{catalogue.active_ids()[0]}"
        for label, path in (
            (f"product list, page of {LIST_PAGE}", LIST),
            ("product by id", product),
        ):
            got = instructions.per_request(
                database.url, path, env, requests=requests, targets=(KERNEL, FLOOR)
            )
            kernel, floor = got[KERNEL], got[FLOOR]
            lines.append(
                f"| {label} | {kernel / 1e6:.2f} | {floor / 1e6:.2f} | {floor / kernel:.2f} |"
            )
    return lines


@contextmanager
def _servers(url: str, env: dict[str, str], workers: int, logs: Path) -> Iterator[list[Server]]:
    with ExitStack() as stack:
        started = []
        for name, command in (("kernel", kernel_command), ("floor", floor_command)):
            port = free_port()
            server_env = {**env, "MOSAIC_DATABASE_URL": url, "BENCH_DATABASE_URL": url}
            started.append(
                stack.enter_context(
                    serving(
                        command(port, workers),
                        port=port,
                        env=server_env,
                        ready_path=LIST,
                        log=logs / f"{name}-{workers}.log",
                    )
                )
            )
        for server in started:
            server.wait_ready()
        yield started


def _pairs(
    url: str,
    env: dict[str, str],
    *,
    workers: int,
    ids: list[int],
    args: argparse.Namespace,
    workdir: Path,
) -> list[str]:
    _say(f"{workers} worker(s): pairs")
    lines = [
        "",
        f"{workers} worker(s), wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{args.seconds}s, "
        f"{args.pairs} pairs alternating the order:",
        "",
        "| scenario | kernel req/s | floor req/s | kernel/floor (median of pairs) | pairs |",
        "|---|---:|---:|---:|---|",
    ]
    scenarios = [load.list_scenario(LIST_PAGE), load.by_id_scenario(ids)]
    with _servers(url, env, workers, workdir) as (kernel, floor):
        for scenario in scenarios:
            for server in (kernel, floor):  # warm-up
                _wrk(server, scenario, 2, workdir)
            kernel_rps, floor_rps, ratios = [], [], []
            for pair in range(args.pairs):
                order = (kernel, floor) if pair % 2 == 0 else (floor, kernel)
                got = {id(s): _wrk(s, scenario, args.seconds, workdir).rps for s in order}
                kernel_rps.append(got[id(kernel)])
                floor_rps.append(got[id(floor)])
                ratios.append(got[id(kernel)] / got[id(floor)])
            lines.append(
                f"| {scenario.label} | {statistics.fmean(kernel_rps):.0f} | "
                f"{statistics.fmean(floor_rps):.0f} | {statistics.median(ratios):.2f} | "
                f"{', '.join(f'{r:.2f}' for r in ratios)} |"
            )
    return lines


def _rss(
    url: str, env: dict[str, str], ids: list[int], marks: list[int], workdir: Path
) -> list[str]:
    _say("resident memory")
    lines = ["", "| kernel worker, product by id | requests served | RSS MB |", "|---|---:|---:|"]
    scenario = load.by_id_scenario(ids)
    with _servers(url, env, 1, workdir) as (kernel, _floor):
        served = 0
        for mark in sorted(marks):
            while served < mark:
                sample = load.run_wrk(
                    kernel.base,
                    scenario,
                    workdir=workdir,
                    threads=WRK_THREADS,
                    connections=RSS_CONNECTIONS,
                    seconds=RSS_CHUNK_S,
                )
                served += sample.requests
            lines.append(f"| after {mark:,} | {served:,} | {_worker_rss_mb(kernel):.1f} |")
    return lines


def _wrk(server: Server, scenario: load.Scenario, seconds: int, workdir: Path) -> load.Sample:
    return load.run_wrk(
        server.base,
        scenario,
        workdir=workdir,
        threads=WRK_THREADS,
        connections=WRK_CONNECTIONS,
        seconds=seconds,
    )


def _worker_rss_mb(server: Server) -> float:
    """The largest resident set among the server's process and its descendants (the worker)."""
    pids, found = [server.process.pid], 0.0
    while pids:
        pid = pids.pop()
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            pids += [int(child) for child in task.read_text().split()]
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                found = max(found, int(line.split()[1]) / 1024)
    return found


_STARTED = time.monotonic()


def _say(message: str) -> None:
    print(f"[floor {time.monotonic() - _STARTED:5.0f}s] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
