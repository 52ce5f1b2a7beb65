"""CPU time per request, in-process: the server side only, several applications interleaved.

On a machine shared with other work, throughput moves with the machine's load; the CPU time an
application spends on a request moves much less. Applications are called one request at a time
through httpx's ASGI transport, and only the time inside the application is counted
(``time.process_time``, so its worker threads count too, its waits for the database do not).
Rounds alternate between the applications and the median round is kept.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Mapping
from contextlib import AsyncExitStack

import httpx
from asgi_lifespan import LifespanManager
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from bench.config import HOST

WARM_UP = 20


class CpuMeter:
    """An ASGI wrapper adding up the process CPU time spent inside ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.seconds = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.process_time()
        try:
            await self.app(scope, receive, send)
        finally:
            self.seconds += time.process_time() - started


async def cpu_ms(
    apps: Mapping[str, Starlette], path: str, *, rounds: int, requests: int
) -> dict[str, list[float]]:
    """Returns, for each application, its CPU milliseconds per request of ``GET path`` in each
    of ``rounds`` rounds (``requests`` requests, one at a time)."""
    async with AsyncExitStack() as stack:
        meters: dict[str, CpuMeter] = {}
        clients: dict[str, httpx.AsyncClient] = {}
        for name, app in apps.items():
            manager = await stack.enter_async_context(LifespanManager(app))
            meters[name] = CpuMeter(manager.app)
            transport = httpx.ASGITransport(app=meters[name], client=(HOST, 40000))
            client = httpx.AsyncClient(transport=transport, base_url=f"http://{HOST}")
            clients[name] = await stack.enter_async_context(client)
        per_round: dict[str, list[float]] = {name: [] for name in apps}
        for client in clients.values():
            for _ in range(WARM_UP):
                _check(await client.get(path))
        # Collections triggered by one application's garbage would land in another's round.
        gc.collect()
        gc.freeze()
        names = list(clients)
        for turn in range(rounds):
            # Alternate the order (A B C, then C B A): a drift weighs on every side alike.
            for name in names if turn % 2 == 0 else reversed(names):
                client = clients[name]
                gc.collect()
                meters[name].seconds = 0.0
                for _ in range(requests):
                    _check(await client.get(path))
                per_round[name].append(meters[name].seconds / requests * 1000)
        gc.unfreeze()
    return per_round


def median_ratio(numerators: list[float], denominators: list[float]) -> float:
    """The median of the rounds' ratios: each ratio compares two measurements made seconds
    apart, so a change in the machine's load between rounds cancels out."""
    return statistics.median(n / d for n, d in zip(numerators, denominators, strict=True))


def _check(answer: httpx.Response) -> None:
    if answer.status_code != 200:
        raise RuntimeError(f"{answer.request.url} answered {answer.status_code}: {answer.text}")
