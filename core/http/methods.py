"""A request's path names one resource; a method that resource does not accept is a 405.

OpenAPI, like HTTP, picks the resource by the path alone, a concrete path such as
``/categories/tree`` before a templated one such as ``/categories/{id}``, and only then looks at
the method. Starlette instead takes the first route matching path and method together, so
``PATCH /categories/tree`` would reach ``PATCH /categories/{id}`` with ``id="tree"``, and the 405
of ``OPTIONS /users/me`` would advertise the methods of ``/users/{id}`` as well.
"""

from __future__ import annotations

import inspect

from fastapi.routing import RouteContext, iter_route_contexts
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send


def resource_methods(app: Starlette, scope: Scope) -> set[str] | None:
    """Returns the methods of the resource the request's path names.

    Of the routes whose path matches, the resource is the most specific path template: at the
    first segment where two templates differ, a literal segment beats a parameter (routing order
    breaks ties). Its methods are those of every route with that template. ``None`` when no
    method-based route matches the path (nothing at all, or only a mount).
    """
    routes = [route for route in iter_route_contexts(app.router.routes) if route.methods]
    matching = [route for route in routes if route.matches(scope)[0] != Match.NONE]
    if not matching:
        return None
    template = min(matching, key=_specificity).path_format
    return {
        method
        for route in routes
        if route.path_format == template
        for method in route.methods or ()
    }


def _specificity(route: RouteContext) -> tuple[bool, ...]:
    """Sorts ``/products/import`` before ``/products/{id}``: literal segments first."""
    return tuple("{" in segment for segment in (route.path_format or "").split("/"))


class MethodNotAllowedMiddleware:
    """Answers 405, as the application answers Starlette's own, when the resource the path names
    does not accept the method, before a route with an overlapping template can take it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            application: Starlette = scope["app"]
            methods = resource_methods(application, scope)
            if methods is not None and scope["method"] not in methods:
                handler = application.exception_handlers[HTTPException]
                answer = handler(Request(scope, receive), HTTPException(405))
                response: Response = await answer if inspect.isawaitable(answer) else answer
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
