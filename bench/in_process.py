"""Applications served in-process: an httpx client over the application's ASGI interface, its
lifespan started, calling from the loopback as the load generator does; and the measured ``GET``
loop the callgrind probes run inside ``qsort``.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
from asgi_lifespan import LifespanManager
from starlette.types import ASGIApp, Receive, Scope, Send

from bench.config import HOST

WARM_UP = 20
#: The name that measures :func:`fixed_answer`: the in-process client's own share of every count.
CLIENT = "client"
_Compare = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
# LifespanManager's own default: long enough for any start outside callgrind.
STARTUP_TIMEOUT_S = 5


@asynccontextmanager
async def client_of(
    app: ASGIApp, *, lifespan_timeout: float | None = STARTUP_TIMEOUT_S
) -> AsyncIterator[httpx.AsyncClient]:
    """Starts ``app`` and yields a client of it; stops it when the block ends.
    ``lifespan_timeout`` bounds its startup and its shutdown (``None``: no bound, for a start
    under callgrind)."""
    limit = lifespan_timeout
    async with LifespanManager(app, startup_timeout=limit, shutdown_timeout=limit) as manager:
        transport = httpx.ASGITransport(app=manager.app, client=(HOST, 40000))
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{HOST}") as client:
            yield client


def serve_measured(
    build: Callable[[], ASGIApp],
    path: str,
    requests: int,
    *,
    prepare: Callable[[httpx.AsyncClient], Awaitable[None]] | None = None,
) -> None:
    """Serves ``requests`` requests of ``GET path`` inside ``qsort``, so that callgrind counts
    them and nothing else, to the application ``build`` returns, after ``prepare`` (a sign-in,
    say) and a warm-up; raises when one does not answer 200."""
    loop = asyncio.new_event_loop()
    stack = AsyncExitStack()

    async def start() -> httpx.AsyncClient:
        # No time limit: under callgrind, startup is fifty times slower than usual.
        client = await stack.enter_async_context(client_of(build(), lifespan_timeout=None))
        if prepare is not None:
            await prepare(client)
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


async def fixed_answer(scope: Scope, receive: Receive, send: Send) -> None:
    """Answers ``{}`` to every request, with no routing, database or encoding: served the same
    way as an application, what it costs is the client's share of that application's count."""
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    headers = [(b"content-type", b"application/json"), (b"content-length", b"2")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"{}"})
