"""Cross-site request forgery: the console takes a form only from its own pages.

sqladmin's forms carry no CSRF token, so the console checks where a write comes from (OWASP's
"verifying origin with standard headers"): a request that is not GET or HEAD must name the
console's own origin in ``Origin`` (every current browser sends it with a form post) or, failing
that, in ``Referer``; with neither, or another origin, it is refused with 403 before any view runs.
The session cookie's SameSite=Lax keeps it off cross-site posts as a second line.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SameOriginMiddleware:
    """Refuses a state-changing request whose ``Origin`` (or ``Referer``) is not the server's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        own = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}"
        sent = headers.get("origin") or _origin(headers.get("referer"))
        if sent is None or sent.lower() != own.lower():
            refusal = PlainTextResponse("The form was not sent from this site.", status_code=403)
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _origin(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None
