"""Driving a server with wrk: one Lua script per scenario, results read from its ``done`` hook."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

WRK = "/usr/bin/wrk"
MARK = "BENCH-RESULT "
# Printed by every script once wrk is done: counts, duration and latency percentiles (in µs).
_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,'
    .. '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\\n',
    "MARK", summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
end
""".replace("MARK", MARK)


@dataclass(frozen=True, slots=True)
class Scenario:
    """One kind of request: its name in the results, its path and its wrk Lua script."""

    name: str
    label: str
    path: str
    script: str


@dataclass(frozen=True, slots=True)
class Sample:
    """One wrk run: throughput and latency percentiles."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    other_cpu: float = 0.0  # share of the CPUs other work used meanwhile (``bench.noise``)


def list_scenario(page: int) -> Scenario:
    """``GET /api/v1/catalogue/products?limit=<page>``."""
    path = f"/api/v1/catalogue/products?limit={page}"
    return Scenario("list", f"product list (page of {page})", path, _DONE)


def by_id_scenario(ids: Sequence[int]) -> Scenario:
    """``GET /api/v1/catalogue/products/{id}``, a random visible product per request."""
    table = ",".join(map(str, ids))
    script = f"""
local ids = {{{table}}}
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("seed", counter) end
init = function(args) math.randomseed(os.time() * 1000 + (seed or 0)) end
request = function()
  return wrk.format("GET", "/api/v1/catalogue/products/" .. ids[math.random(#ids)])
end
"""
    path = "/api/v1/catalogue/products/{id}"
    return Scenario("by_id", "product by id (random)", path, script + _DONE)


def me_scenario(token: str) -> Scenario:
    """``GET /api/v1/users/me`` with a bearer token: the token check and one account read."""
    script = f'wrk.headers["Authorization"] = "Bearer {token}"\n'
    return Scenario("me", "token check (`/users/me`)", "/api/v1/users/me", script + _DONE)


def login_scenario(email: str, password: str) -> Scenario:
    """``POST /api/v1/auth/token`` (password grant) with the right password: one argon2id
    verification and one new session per request."""
    body = urlencode({"grant_type": "password", "username": email, "password": password})
    script = (
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(body)}\n"
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
    )
    return Scenario("login", "login (argon2id)", "/api/v1/auth/token", script + _DONE)


def run_wrk(
    base: str,
    scenario: Scenario,
    *,
    workdir: Path,
    threads: int,
    connections: int,
    seconds: int,
) -> Sample:
    """Runs wrk against ``base`` + the scenario's path; raises if any request failed."""
    script = workdir / f"{scenario.name}.lua"
    script.write_text(scenario.script, encoding="utf-8")
    path = scenario.path if "{" not in scenario.path else "/"
    options = [f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    done = subprocess.run(  # noqa: S603 - fixed program, arguments built here
        [WRK, *options, "-s", str(script), base + path],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    result = json.loads(lines[-1].removeprefix(MARK))
    failed = {k: result[k] for k in ("connect", "read", "write", "status", "timeout") if result[k]}
    if failed:
        raise RuntimeError(f"{scenario.name}: failed requests {failed}\n{done.stdout}")
    return Sample(
        rps=result["requests"] / (result["duration_us"] / 1e6),
        p50_ms=result["p50_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        requests=result["requests"],
    )
