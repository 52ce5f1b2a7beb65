"""Putting a module's router on the application: its operations flat on the application's router.

Each operation is given the id ``<module>_<action>``, the action being the name of its route
function (``catalogue_list_products``): client generators name their methods after it, so it
must read well and stay put when a path changes. A route that sets ``operation_id`` keeps it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, cast

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

# Every argument of ``add_api_route`` is also an attribute of the operation it builds, under the
# same name, and of its inclusion's context where the inclusion changes it: copying them by name
# adds the operation again as FastAPI built it, arguments a later FastAPI adds included. One
# that is neither fails the first build, at startup, instead of being dropped silently. The
# operation id is the kernel's to give (``<owner>_<route function>``).
_GIVEN = {"self", "path", "endpoint", "route_class_override", "generate_unique_id_function"}
_COPIED = tuple(
    name for name in inspect.signature(APIRouter.add_api_route).parameters if name not in _GIVEN
)


def operation_id(owner: str) -> Callable[[APIRoute], str]:
    """Returns the function naming each operation of ``owner`` ``<owner>_<route function>``."""

    def generate(route: APIRoute) -> str:
        return f"{owner}_{route.name}"

    return generate


def mount(app: FastAPI, router: APIRouter, *, owner: str, prefix: str = "") -> None:
    """Adds the operations of ``router`` to ``app`` under ``prefix``, as ``include_router`` does,
    with the operation ids of ``owner`` (a module's name, or ``core`` for the kernel).

    FastAPI keeps an included router as a branch: a request is matched against the branch, then
    again inside it to be handled, and the branches are tried in order, so a request to the
    last module pays for the routes of every module before it. Each operation is added to the
    application's own router instead, with what its inclusion gives it (prefix, tags,
    dependencies, responses); routing then costs what it costs in a one-file application.
    A router holding anything but operations (a websocket, a mount) is included as it is.
    """
    naming = operation_id(owner)
    sources: list[tuple[str, APIRoute | RouteContext, APIRoute]]
    own = [route for route in router.routes if isinstance(route, APIRoute)]
    if len(own) == len(router.routes):
        # No router nested inside: each operation already holds what its router gives it
        # (prefix, tags, dependencies, responses, defaults), and mounting only adds `prefix`.
        # Reading the operation itself spares building it once more, at startup, as its
        # inclusion's context would.
        sources = [(prefix + route.path, route, route) for route in own]
    else:
        staging = APIRouter()
        staging.include_router(router, prefix=prefix)
        contexts = list(iter_route_contexts(staging.routes))
        operations = [c.original_route for c in contexts if isinstance(c.original_route, APIRoute)]
        if len(operations) != len(contexts):
            app.include_router(router, prefix=prefix, generate_unique_id_function=naming)
            return
        sources = [
            # The path with every prefix it was included under: a route's own path lacks them.
            (cast(str, c.path), c, operation)
            for c, operation in zip(contexts, operations, strict=True)
        ]
    for path, context, operation in sources:
        app.router.add_api_route(
            path,
            operation.endpoint,
            route_class_override=type(operation),
            **{name: _argument(context, operation, name) for name in _COPIED},
            generate_unique_id_function=naming,
        )


def _argument(context: APIRoute | RouteContext, operation: APIRoute, name: str) -> Any:
    """The value of ``add_api_route``'s argument ``name``: as the inclusion gives it, or else as
    the operation holds it."""
    try:
        return getattr(context, name)
    except AttributeError:
        return getattr(operation, name)
