"""Cross-origin requests from the browser origins in ``MOSAIC_CORS_ORIGINS``."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from core.errors.kernel_errors import CorsRefused
from core.errors.problem import send_problem
from core.http.request_id import HEADER as REQUEST_ID_HEADER


class CorsMiddleware(CORSMiddleware):
    """Starlette's CORS middleware for an API authenticated by bearer tokens.

    Any method and request header may be asked for, credentials (cookies) are never allowed,
    and ``X-Request-ID`` is readable by the page. A refused preflight is answered with the 400
    problem ``core.cors_refused`` instead of Starlette's plain text.
    """

    def __init__(self, app: ASGIApp, *, origins: Iterable[str]) -> None:
        super().__init__(
            app,
            allow_origins=tuple(origins),
            allow_methods=("*",),
            allow_headers=("*",),
            allow_credentials=False,
            expose_headers=(REQUEST_ID_HEADER,),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if "origin" not in headers:  # Not a browser's cross-origin request: nothing to add.
            await self.app(scope, receive, send)
            return
        is_preflight = scope["method"] == "OPTIONS" and "access-control-request-method" in headers
        if not is_preflight:
            await super().__call__(scope, receive, send)
            return
        response = self.preflight_response(request_headers=headers)
        if response.status_code < 400:
            await response(scope, receive, send)
            return
        # Starlette's body says what was refused ("Disallowed CORS origin"); keep its headers
        # (Vary) so caches keep refusals and answers apart.
        refused = [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in ("content-length", "content-type")
        ]
        await send_problem(
            scope,
            receive,
            send,
            CorsRefused,
            detail=f"{bytes(response.body).decode()}.",
            headers=dict(refused),
        )
