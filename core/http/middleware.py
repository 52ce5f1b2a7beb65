"""The base of the kernel's ASGI middlewares that act on HTTP requests alone."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class HttpMiddleware:
    """Hands every HTTP request to :meth:`handle` and anything else (the lifespan, a WebSocket)
    straight to the wrapped application."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serves one HTTP request, usually by calling ``self.app`` with a wrapped ``send``."""
        raise NotImplementedError
