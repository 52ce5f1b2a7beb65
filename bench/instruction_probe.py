"""Serves ``GET path`` in-process under callgrind, counting only the requests measured.

Run by ``bench/instructions.py`` as::

    valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*qsort_r' \\
        python -m bench.instruction_probe {kernel|bare|limit-only|floor} URL PATH REQUESTS [login]

Callgrind counts nothing until the program enters the C library's ``qsort_r``, and stops when it
leaves it. The probe starts the application and warms it up first, then sorts a two-element array
with a comparison function written in Python: that function serves the measured requests, so the
count holds them and nothing else (no interpreter startup, imports or warm-up). ``qsort`` rather
than an interpreter function because the C library always exports it, whatever the build of
Python. With ``login``, the probe signs in as the benchmark's administrator during the warm-up and
sends the bearer token with every request (``/users/me``).

The kernel's event dispatcher and job runner are off: they poll the database on a timer, so
under callgrind, fifty times slower than usual, they would add a share of their polls to every
request that depends on the slowdown, not on the request.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import os
import sys
from collections.abc import Callable
from contextlib import AsyncExitStack

import httpx
from asgi_lifespan import LifespanManager

from bench.applications import application
from bench.config import ADMIN_EMAIL, ADMIN_PASSWORD, HOST

WARM_UP = 20
# Work on a timer, not per request: see the module's docstring.
TIMED_WORK_OFF = {"MOSAIC_EVENTS_DISPATCH": "false", "MOSAIC_JOBS_ENABLED": "false"}
_Compare = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


def main(target: str, url: str, path: str, requests: int, *, login: bool = False) -> None:
    """Serves ``requests`` requests of ``GET path`` inside ``qsort``, after a warm-up; with
    ``login``, as the benchmark's administrator."""
    os.environ.update(TIMED_WORK_OFF)
    loop = asyncio.new_event_loop()
    stack = AsyncExitStack()

    async def start() -> httpx.AsyncClient:
        app = application(target, url, os.environ)
        # No time limit: under callgrind, startup is fifty times slower than usual.
        manager = LifespanManager(app, startup_timeout=None, shutdown_timeout=None)
        await stack.enter_async_context(manager)
        transport = httpx.ASGITransport(app=manager.app, client=(HOST, 40000))
        client = httpx.AsyncClient(transport=transport, base_url=f"http://{HOST}")
        client = await stack.enter_async_context(client)
        if login:
            form = {"grant_type": "password", "username": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
            token = (await client.post("/api/v1/auth/token", data=form)).json()["access_token"]
            client.headers["Authorization"] = f"Bearer {token}"
        return client

    async def serve(client: httpx.AsyncClient, count: int) -> None:
        for _ in range(count):
            answer = await client.get(path)
            if answer.status_code != 200:
                raise RuntimeError(f"{path} answered {answer.status_code}: {answer.text}")

    client = loop.run_until_complete(start())
    loop.run_until_complete(serve(client, WARM_UP))
    gc.collect()
    gc.freeze()  # as the kernel's workers do after startup

    inside_qsort(lambda: loop.run_until_complete(serve(client, requests)))
    loop.run_until_complete(stack.aclose())
    loop.close()


def inside_qsort(measured: Callable[[], object]) -> None:
    """Runs ``measured`` as the comparison function of a two-element ``qsort``, so callgrind's
    ``--toggle-collect=*qsort_r`` counts it and nothing else; re-raises what it raised."""
    failures: list[BaseException] = []

    def compare(_left: int | None, _right: int | None) -> int:
        try:
            measured()
        except BaseException as error:  # ctypes would print it and carry on
            failures.append(error)
        return 0

    pair = (ctypes.c_int * 2)(1, 2)
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.qsort(pair, 2, ctypes.sizeof(ctypes.c_int), _Compare(compare))
    if failures:
        raise failures[0]


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), login=sys.argv[5:] == ["login"])
