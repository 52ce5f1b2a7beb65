"""A module's router goes on the application flat, with everything its inclusion gave it."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, FastAPI, Request, WebSocket
from fastapi.routing import APIRoute, iter_route_contexts
from httpx import ASGITransport, AsyncClient

from core.http.routes import mount, operation_id


async def _marked(request: Request) -> None:
    request.state.marks = [*getattr(request.state, "marks", []), "inclusion"]


async def _item_mark(request: Request) -> str:
    return "item"


def _nested_router() -> APIRouter:
    inner = APIRouter(prefix="/items", tags=["inner"])

    @inner.get("/{item_id}", responses={404: {"description": "No such item"}})
    async def read_item(
        item_id: int, request: Request, mark: Annotated[str, Depends(_item_mark)]
    ) -> dict[str, object]:
        return {"id": item_id, "marks": [*request.state.marks, mark]}

    outer = APIRouter(prefix="/shop", tags=["shop"])
    outer.include_router(inner, dependencies=[Depends(_marked)])
    return outer


def _flat_router() -> APIRouter:
    """A router with operations only, as most modules have: no router nested inside."""
    router = APIRouter(
        prefix="/notes",
        tags=["notes"],
        dependencies=[Depends(_marked)],
        responses={401: {"description": "Not signed in"}},
    )

    @router.get("/{note_id}", responses={404: {"description": "No such note"}})
    async def read_note(note_id: int, request: Request) -> dict[str, object]:
        return {"id": note_id, "marks": request.state.marks}

    @router.delete("/{note_id}", status_code=204, deprecated=True)
    async def delete_note(note_id: int) -> None:
        del note_id

    return router


def _client(app: FastAPI) -> AsyncClient:
    return AsyncClient(transport=ASGITransport(app=app), base_url="http://test")


async def test_nested_routers_become_operations_of_the_application() -> None:
    app = FastAPI()
    mount(app, _nested_router(), prefix="/api/v1", owner="shop")

    operations = [route for route in app.router.routes if isinstance(route, APIRoute)]
    assert [route.path for route in operations] == ["/api/v1/shop/items/{item_id}"]
    assert operations[0].tags == ["shop", "inner"]

    async with _client(app) as client:
        answer = await client.get("/api/v1/shop/items/7")
    assert answer.status_code == 200
    # The inclusion's dependency still runs, before the operation's own.
    assert answer.json() == {"id": 7, "marks": ["inclusion", "item"]}

    operation = app.openapi()["paths"]["/api/v1/shop/items/{item_id}"]["get"]
    assert operation["tags"] == ["shop", "inner"]
    assert "404" in operation["responses"]


@pytest.mark.parametrize("make_router", [_nested_router, _flat_router])
def test_mounting_gives_the_same_openapi_as_including(make_router) -> None:
    mounted, included = FastAPI(), FastAPI()
    mount(mounted, make_router(), prefix="/api/v1", owner="shop")
    included.include_router(
        make_router(), prefix="/api/v1", generate_unique_id_function=operation_id("shop")
    )

    assert mounted.openapi() == included.openapi()


async def test_a_flat_router_keeps_its_prefix_tags_and_dependencies() -> None:
    app = FastAPI()
    mount(app, _flat_router(), prefix="/api/v1", owner="notes")

    operations = [route for route in app.router.routes if isinstance(route, APIRoute)]
    assert [(route.path, route.methods) for route in operations] == [
        ("/api/v1/notes/{note_id}", {"GET"}),
        ("/api/v1/notes/{note_id}", {"DELETE"}),
    ]
    assert all(route.tags == ["notes"] for route in operations)
    async with _client(app) as client:
        answer = await client.get("/api/v1/notes/3")
        assert (await client.delete("/api/v1/notes/3")).status_code == 204
    # The router's dependency runs for its operations, mounted as when included.
    assert answer.json() == {"id": 3, "marks": ["inclusion"]}


async def test_a_router_with_a_websocket_is_included_as_it_is() -> None:
    router = APIRouter(prefix="/live")

    @router.websocket("/feed")
    async def feed(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("hello")
        await websocket.close()

    @router.get("/status")
    async def status() -> dict[str, str]:
        return {"status": "ok"}

    app = FastAPI()
    mount(app, router, prefix="/api/v1", owner="live")

    assert not any(isinstance(route, APIRoute) for route in app.router.routes)
    paths = {context.path for context in iter_route_contexts(app.router.routes)}
    assert {"/api/v1/live/feed", "/api/v1/live/status"} <= paths
    async with _client(app) as client:
        assert (await client.get("/api/v1/live/status")).json() == {"status": "ok"}


@pytest.mark.parametrize("make_router", [_nested_router, _flat_router])
def test_operation_ids_are_the_owner_and_the_route_function(make_router) -> None:
    app = FastAPI()
    mount(app, make_router(), prefix="/api/v1", owner="shop")

    ids = {
        f"{method.upper()} {path}": operation["operationId"]
        for path, item in app.openapi()["paths"].items()
        for method, operation in item.items()
    }
    assert ids == (
        {"GET /api/v1/shop/items/{item_id}": "shop_read_item"}
        if make_router is _nested_router
        else {
            "GET /api/v1/notes/{note_id}": "shop_read_note",
            "DELETE /api/v1/notes/{note_id}": "shop_delete_note",
        }
    )


def test_an_operation_id_a_route_sets_is_kept() -> None:
    router = APIRouter(prefix="/pins")

    @router.get("", operation_id="pins_list_everything")
    async def everything() -> list[int]:
        return []

    @router.websocket("/feed")
    async def feed(websocket: WebSocket) -> None:
        await websocket.close()

    @router.get("/count")
    async def count_pins() -> int:
        return 0

    app = FastAPI()
    mount(app, router, prefix="/api/v1", owner="pins")

    paths = app.openapi()["paths"]
    assert paths["/api/v1/pins"]["get"]["operationId"] == "pins_list_everything"
    # Included as it is (it holds a websocket), its operations are named all the same.
    assert paths["/api/v1/pins/count"]["get"]["operationId"] == "pins_count_pins"
