"""Headers every API response carries, whoever produced it."""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from core.http.middleware import HttpMiddleware


class SecurityHeadersMiddleware(HttpMiddleware):
    """Adds ``X-Content-Type-Options: nosniff`` to every response, and ``Cache-Control:
    no-store`` to the response of a request that sent ``Authorization``.

    A caller's own data must not be kept by a shared cache or the browser; a route that sets
    its own ``Cache-Control`` keeps it.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        authorized = "authorization" in Headers(scope=scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if authorized:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)
