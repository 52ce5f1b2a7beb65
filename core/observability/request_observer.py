"""One log line and one set of metrics per HTTP request, once its answer is known."""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.observability.metrics import Metrics

logger = logging.getLogger("mosaic.access")


class RequestObserverMiddleware:
    """Logs every request on ``mosaic.access`` and counts it in ``metrics`` (when enabled).

    The log record carries ``method``, ``path`` (without the query string, which may hold
    secrets), ``route`` (the matched path template, e.g. ``/api/v1/notes/{note_id}``),
    ``status``, ``duration_ms``, ``request_id``, ``client`` and, once a token was verified,
    ``user_id``. It runs outside the server-error middleware so a 500 is observed as a 500.
    """

    def __init__(self, app: ASGIApp, *, metrics: Metrics | None) -> None:
        self.app = app
        self.metrics = metrics
        self.templates = RouteTemplates()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        # Until an answer starts, a failure that escapes is what the client sees: no answer,
        # counted as the server's fault.
        status = 500

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        if self.metrics is not None:
            self.metrics.in_progress.inc()
        try:
            await self.app(scope, receive, watch)
        finally:
            seconds = time.perf_counter() - started
            route = self.templates.of(scope)
            if self.metrics is not None:
                self.metrics.in_progress.dec()
                self.metrics.observe(
                    method=scope["method"], route=route, status=status, seconds=seconds
                )
            _log(scope, route, status, seconds)


class RouteTemplates:
    """The full path template of the route that answered, e.g. ``/api/v1/notes/{note_id}``.

    The router leaves the matched operation in ``scope["route"]`` (a plain route such as
    ``/docs``, only its endpoint in ``scope["endpoint"]``), but a route of an included router
    only knows its path without the prefix it was included under; the application's route
    contexts know both. They are read once, at the first request, when every route is in place.
    """

    def __init__(self) -> None:
        self._contexts: dict[int, list[RouteContext]] | None = None

    def of(self, scope: Scope) -> str | None:
        """Returns the template of the route that answered ``scope``; ``None`` if none did."""
        # FastAPI's router names only its own operations in the scope; a plain route (the docs,
        # /openapi.json) leaves just its endpoint there.
        route = scope.get("route")
        found = route if route is not None else scope.get("endpoint")
        if found is None:
            return None
        if self._contexts is None:
            self._contexts = {}
            for context in iter_route_contexts(scope["app"].router.routes):
                self._contexts.setdefault(id(context.original_route), []).append(context)
                if not isinstance(context.original_route, APIRoute) and context.endpoint:
                    self._contexts.setdefault(id(context.endpoint), []).append(context)
        contexts = self._contexts.get(id(found), [])
        if len(contexts) > 1:  # One router included under several prefixes: match again.
            contexts = [c for c in contexts if c.matches(scope)[0] == Match.FULL] or contexts
        template = contexts[0].path_format if contexts else getattr(route, "path", None)
        return template if isinstance(template, str) else None


def _log(scope: Scope, route: str | None, status: int, seconds: float) -> None:
    state: dict[str, Any] = scope.get("state", {})
    principal = state.get("principal")
    client = scope.get("client")
    duration_ms = round(seconds * 1000, 2)
    logger.info(
        "%s %s %d %.2fms",
        scope["method"],
        scope["path"],
        status,
        duration_ms,
        extra={
            "method": scope["method"],
            "path": scope["path"],
            "route": route,
            "status": status,
            "duration_ms": duration_ms,
            "request_id": state.get("request_id"),
            "user_id": getattr(principal, "subject", None),
            "client": client[0] if client else None,
        },
    )
