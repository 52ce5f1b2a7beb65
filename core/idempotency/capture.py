"""Ending an idempotent request's claim with its response, at the ASGI level.

Only a request whose route claimed a key (``Idempotent``) is captured; any other passes through
after one dictionary lookup per message. The last body message is held until the response is
stored, so a client that received the whole response finds it replayable on its next try.
"""

from __future__ import annotations

import logging

from starlette.types import Message, Receive, Scope, Send

from core.http.middleware import HttpMiddleware
from core.idempotency.claims import CLAIM, Replay

logger = logging.getLogger("mosaic.idempotency")


class IdempotencyMiddleware(HttpMiddleware):
    """Stores the response of a committed idempotent request, gives the key of any other back,
    and answers the replays the route's dependency found."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        status = 0
        headers: list[tuple[str, str]] = []
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status
            held = scope.get(CLAIM)
            if held is None:
                await send(message)
                return
            if message["type"] == "http.response.start":
                status = message["status"]
                headers.extend(
                    (name.decode("latin-1").lower(), value.decode("latin-1"))
                    for name, value in message.get("headers", ())
                )
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    keys, claim = held
                    try:
                        await keys.finish(
                            claim, status=status, headers=headers, body=b"".join(chunks)
                        )
                    except Exception:
                        # The client still gets its answer; the key then answers "response lost".
                        logger.exception("the response of an idempotent request was not stored")
            await send(message)

        try:
            await self.app(scope, receive, capture)
        except Replay as replay:
            await replay.response(scope, receive, send)
        finally:
            held = scope.get(CLAIM)
            if held is not None and not held[1].finished:
                # No complete response: an exception, or the client went away. A committed claim
                # is kept (its writes happened); any other gives its key back.
                try:
                    await held[0].release(held[1])
                except Exception:
                    logger.exception("the key of a failed idempotent request was not given back")
