"""A ceiling on request bodies, whether their size is announced or streamed in chunks."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.errors.kernel_errors import RequestTooLarge
from core.http.problems import send_problem


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` once a streamed body passes the limit.

    An ``HTTPException`` because FastAPI re-raises those from body parsing (any other exception
    becomes a 400 there), so the error handlers answer it as ``core.request_too_large``.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, _detail(limit), headers=_CLOSE)


class BodyLimitMiddleware:
    """Answers 413 ``core.request_too_large`` for a body larger than ``max_body_size`` bytes.

    A ``Content-Length`` over the limit is refused before the application runs; a body without
    one (chunked) is counted as the application reads it, and reading stops at the first chunk
    past the limit. The body is never read to its end to find out.
    """

    def __init__(self, app: ASGIApp, *, max_body_size: int) -> None:
        self.app = app
        self.max_body_size = max_body_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        announced = headers.get("content-length", "")
        if announced.isdigit() and int(announced) > self.max_body_size:
            await self._refuse(scope, receive, send)
            return
        if "transfer-encoding" not in headers and (announced == "" or announced.isdigit()):
            # A body is announced by its length or by chunked coding (RFC 9112 §6.3): here there
            # is none, or one within the limit, and the server reads no more than announced.
            await self.app(scope, receive, send)
            return

        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_size:
                    raise BodyTooLarge(self.max_body_size)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            # Read outside a route (a middleware, a raw ASGI endpoint): answer here instead.
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send_problem(
            scope,
            receive,
            send,
            RequestTooLarge,
            detail=_detail(self.max_body_size),
            headers=_CLOSE,
        )


# The rest of the body stays unread, so the connection cannot carry another request.
_CLOSE = {"Connection": "close"}


def _detail(limit: int) -> str:
    return f"The request body exceeds the limit of {limit} bytes."
