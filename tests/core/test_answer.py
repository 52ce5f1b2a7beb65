"""``core.answer``: a read answered from rows sends what ``response_model`` would send, byte for
byte, documents the same, and never sends a column its schema does not declare."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from enum import IntEnum, StrEnum
from types import SimpleNamespace
from typing import Any, Literal

import httpx
import pytest
from fastapi import FastAPI, Response
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    computed_field,
    field_serializer,
    model_validator,
)
from sqlalchemy import create_engine, literal, select

from core import Page, UtcDateTime, answer
from core.http.projection import as_plain_data, writes_plain_json


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


# The ways a route hands its fields to `answer`: a dict, an object read by attribute, a row.
MAPPING = pytest.param(lambda fields: fields, id="mapping")
OBJECT = pytest.param(lambda fields: SimpleNamespace(**fields), id="object")
SQL_ROW = pytest.param(lambda fields: _sql_row(**fields), id="sql-row")


@pytest.mark.parametrize("carrier", [MAPPING, OBJECT, SQL_ROW])
def test_a_column_the_schema_does_not_declare_is_never_sent(carrier):
    row = carrier({"id": 1, "name": "Ada", **SECRETS})

    sent = answer(Owner, row)

    assert sent.body == b'{"id":1,"name":"Ada"}'
    assert b"argon2id" not in sent.body


@pytest.mark.parametrize("carrier", [MAPPING, OBJECT, SQL_ROW])
def test_a_value_the_schema_refuses_is_never_sent(carrier):
    # A dict is tried as it is first and anything else read into a mapping: neither way may
    # let through what the schema refuses.
    row = carrier({"id": "seven", "name": "Ada"})

    with pytest.raises(ValidationError) as refused:
        answer(Owner, row)

    named = [error for error in refused.value.errors() if error["loc"][-1] == "id"]
    assert named and all(error["type"] == "int_parsing" for error in named)


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


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


class Size(IntEnum):
    SMALL = 1
    LARGE = 2


class Every(BaseModel):
    """One field of each kind an answer writes with orjson rather than pydantic-core."""

    text: str
    number: int
    flag: bool
    amount: Decimal
    at: datetime
    utc: UtcDateTime
    colour: Colour
    size: Size
    kind: Literal["a", 1, None]
    ident: uuid.UUID
    maybe: str | None
    labels: list[str]
    owners: list[Owner]
    note: str = "none"
    extras: list[int] = Field(default_factory=list)


ZONES = st.one_of(
    st.none(), st.just(UTC), st.integers(-1439, 1439).map(lambda m: timezone(timedelta(minutes=m)))
)
EVERY = st.fixed_dictionaries(
    {
        "text": st.text(),
        "number": st.integers(),
        "flag": st.booleans(),
        "amount": st.decimals(allow_nan=False, allow_infinity=False),
        "at": st.datetimes(timezones=ZONES),
        "utc": st.datetimes(timezones=st.just(UTC)),
        "colour": st.sampled_from(Colour),
        "size": st.sampled_from(Size),
        "kind": st.sampled_from(["a", 1, None]),
        "ident": st.uuids(),
        "maybe": st.none() | st.text(),
        "labels": st.lists(st.text(), max_size=3),
        "owners": st.lists(st.fixed_dictionaries({"id": st.integers(), "name": st.text()})),
    },
    optional={"note": st.text(), "extras": st.lists(st.integers(), max_size=3)},
)


def _by_model(schema: Any, value: object) -> bytes:
    """What a model object of ``schema`` writes: what ``response_model`` sends."""
    adapter = TypeAdapter(schema)
    return adapter.dump_json(adapter.validate_python(value, from_attributes=True), by_alias=True)


def test_the_schemas_of_the_property_test_are_written_by_orjson():
    # Otherwise the test below would compare pydantic-core with itself.
    assert writes_plain_json(as_plain_data(TypeAdapter(list[Every]).core_schema))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(EVERY, max_size=3))
def test_plain_data_is_written_as_the_model_would_be(items):
    assert answer(list[Every], items).body == _by_model(list[Every], items)


def test_an_integer_orjson_cannot_write_is_written_by_pydantic_core():
    value = {"id": 2**70, "name": "Ada"}

    assert answer(Owner, value).body == _by_model(Owner, value) == b'{"id":%d,"name":"Ada"}' % 2**70


class Shown(BaseModel):
    """A model that does more than declare fields keeps its model object."""

    first: str
    last: str

    @field_serializer("last")
    def _initial(self, last: str) -> str:
        return last[:1] + "."

    @computed_field  # type: ignore[prop-decorator]
    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


@pytest.mark.parametrize("carrier", [MAPPING, OBJECT])
def test_a_model_with_its_own_serialiser_or_computed_field_is_answered_as_a_model(carrier):
    value = {"items": [carrier({"first": "Ada", "last": "Lovelace", **SECRETS})], "next": None}

    sent = answer(Page[Shown], value)

    assert sent.body == _by_model(Page[Shown], value)
    assert b'"last":"L.","full":"Ada Lovelace"' in sent.body
    assert b"argon2id" not in sent.body


def test_nested_objects_and_rows_are_read_by_attribute():
    owner = SimpleNamespace(id=1, name="Ada", password_hash="$argon2id$secret")
    item = SimpleNamespace(**(ITEM | {"owner": owner}), version=3)

    sent = answer(ItemPage, {"items": [item], "next": None})

    assert sent.body == _by_model(ItemPage, {"items": [item], "next": None})
    assert b"argon2id" not in sent.body


class Node(BaseModel):
    name: str
    children: list[Node] = Field(default_factory=list)


class Aliased(BaseModel):
    user_name: str = Field(serialization_alias="userName")
    tree: Node | None = None


@pytest.mark.parametrize(
    "schema", [pytest.param(Node, id="recursive"), pytest.param(Aliased, id="aliased")]
)
def test_recursive_and_aliased_schemas_are_answered_as_their_models_would_be(schema):
    tree = {"name": "a", "children": [{"name": "b", "children": [{"name": "c", **SECRETS}]}]}
    value = tree if schema is Node else {"user_name": "Ada", "tree": tree}

    sent = answer(schema, value)

    assert sent.body == _by_model(schema, value)
    assert b"argon2id" not in sent.body


class Signed(BaseModel):
    """A model whose validator reads the model of one of its fields."""

    owner: Owner

    @model_validator(mode="after")
    def _owner_named(self) -> Signed:
        if not self.owner.name:
            raise ValueError("an owner has a name")
        return self


def test_the_models_inside_a_model_that_keeps_its_object_keep_theirs():
    value = {"owner": {"id": 1, "name": "Ada", **SECRETS}}

    assert (
        answer(Signed, value).body == _by_model(Signed, value) == b'{"owner":{"id":1,"name":"Ada"}}'
    )
