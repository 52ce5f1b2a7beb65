"""The last line of defence: an unhandled exception becomes a 500 problem, never a traceback."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from core.errors.kernel_errors import InternalError
from core.errors.problem import kernel_entry, problem_response
from core.http.middleware import HttpMiddleware

logger = logging.getLogger("mosaic.errors")

_ENTRY = kernel_entry(InternalError)


class ServerErrorMiddleware(HttpMiddleware):
    """Logs the traceback with the request id and answers ``core.internal_error``.

    Starlette's own server-error middleware re-raises after answering, which makes the server log
    every failure twice; this one answers and stops there.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            request = Request(scope)
            logger.exception(
                "unhandled error in %s %s",
                scope.get("method"),
                scope.get("path"),
                extra={"request_id": scope.get("state", {}).get("request_id")},
            )
            if started:  # Too late for a clean answer; let the server drop the connection.
                raise
            response = problem_response(request, _ENTRY)
            await response(scope, receive, send)
