"""An HTTP client bound to an application in the same process, lifespan included."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

# httpx's own default: the address the application sees the requests come from.
DEFAULT_CLIENT = ("127.0.0.1", 123)


@asynccontextmanager
async def app_client(
    app: FastAPI, *, client: tuple[str, int] = DEFAULT_CLIENT
) -> AsyncIterator[httpx.AsyncClient]:
    """Yields a client for ``app`` after its startup, and runs its shutdown afterwards.

    Unhandled errors are answered by the application (a 500 problem), as a real server would,
    instead of being raised into the test. ``client`` is the connection's peer address, as a
    server would report it.
    """
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app, raise_app_exceptions=False, client=client)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http
