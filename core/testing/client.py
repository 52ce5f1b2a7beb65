"""An HTTP client bound to an application in the same process, lifespan included."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

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
    async with LifespanManager(_state_per_request(app)) as manager:
        transport = httpx.ASGITransport(app=manager.app, raise_app_exceptions=False, client=client)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


def _state_per_request(app: ASGIApp) -> ASGIApp:
    """Gives each request a shallow copy of the lifespan state, as ASGI servers do: the lifespan
    manager hands every request the same dictionary, so concurrent requests would overwrite each
    other's request state (their request ids, for one)."""

    async def app_with_own_state(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan" and "state" in scope:
            scope = {**scope, "state": dict(scope["state"])}
        await app(scope, receive, send)

    return app_with_own_state
