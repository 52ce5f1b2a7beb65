"""``core.answer``: a read answered from rows sends what ``response_model`` would send, byte for
byte, documents the same, and never sends a column its schema does not declare."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy import create_engine, literal, select

from core import Page, UtcDateTime, answer


class Owner(BaseModel):
    id: int
    name: str


class Item(BaseModel):
    id: int
    title: str
    price: Decimal
    owner: Owner
    labels: list[str]
    created_at: UtcDateTime


class ItemPage(Page[Item]):
    pass


CREATED = datetime(2026, 1, 2, 3, 4, 5, 600, tzinfo=UTC)
ITEM: dict[str, Any] = {
    "id": 7,
    "title": 'Ünïcode \u2028 "quoted" </script>',
    "price": Decimal("12.50"),
    "owner": {"id": 1, "name": "Ada"},
    "labels": ["a", "b"],
    "created_at": CREATED,
}
SECRETS = {"password_hash": "$argon2id$secret", "version": 3}


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/model", response_model=ItemPage)
    async def by_model() -> ItemPage:
        return ItemPage(items=[Item.model_validate(ITEM)], next="abc")

    @app.get("/answer", response_model=ItemPage)
    async def by_answer() -> Response:
        return answer(ItemPage, {"items": [ITEM | SECRETS], "next": "abc"})

    return app


async def _get(app: FastAPI, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(path)


async def test_an_answer_is_the_bytes_response_model_sends():
    app = _app()
    by_model, by_answer = await _get(app, "/model"), await _get(app, "/answer")

    assert by_answer.status_code == by_model.status_code == 200
    assert by_answer.content == by_model.content
    assert by_answer.headers["content-type"] == by_model.headers["content-type"]
    assert by_answer.json()["items"][0]["created_at"] == "2026-01-02T03:04:05.000600Z"


def test_a_route_that_answers_documents_its_response_model():
    operations = _app().openapi()["paths"]
    assert operations["/answer"]["get"]["responses"] == operations["/model"]["get"]["responses"]


def _sql_row(**columns: object) -> Any:
    engine = create_engine("sqlite://")
    with engine.connect() as connection:
        labelled = [literal(value).label(name) for name, value in columns.items()]
        return connection.execute(select(*labelled)).one()


@pytest.mark.parametrize(
    "carrier",
    [
        pytest.param(lambda fields: fields, id="mapping"),
        pytest.param(lambda fields: SimpleNamespace(**fields), id="object"),
        pytest.param(lambda fields: _sql_row(**fields), id="sql-row"),
    ],
)
def test_a_column_the_schema_does_not_declare_is_never_sent(carrier):
    row = carrier({"id": 1, "name": "Ada", **SECRETS})

    sent = answer(Owner, row)

    assert sent.body == b'{"id":1,"name":"Ada"}'
    assert b"argon2id" not in sent.body


def test_status_and_headers_are_those_given():
    sent = answer(Owner, {"id": 1, "name": "Ada"}, status_code=201, headers={"ETag": '"1.2"'})

    assert sent.status_code == 201
    assert sent.headers["etag"] == '"1.2"'
    assert sent.headers["content-type"] == "application/json"


def test_a_schema_that_keeps_unknown_fields_is_refused():
    class Open(BaseModel):
        model_config = ConfigDict(extra="allow")
        id: int

    with pytest.raises(TypeError, match="keeps unknown fields"):
        answer(Open, {"id": 1, **SECRETS})
