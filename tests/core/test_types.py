"""The annotated types of ``core.types``: what they accept, refuse and document."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Annotated

import httpx
import pytest
from fastapi import FastAPI, Path, Query
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from core import (
    NO_NUL,
    JsonInteger,
    Omittable,
    PlainInteger,
    Text,
    UtcDateTime,
    UtcDateTimeRead,
)
from core.testing.client import app_client


class Named(BaseModel):
    name: Text = Field(min_length=1, max_length=10)


def test_text_refuses_the_nul_character_and_says_so():
    assert Named(name="tab\there").name == "tab\there"
    with pytest.raises(ValidationError, match="pattern"):
        Named(name="a\x00b")
    assert Named.model_json_schema()["properties"]["name"] == {
        "type": "string",
        "minLength": 1,
        "maxLength": 10,
        "pattern": NO_NUL,
        "title": "Name",
    }


class Renaming(BaseModel):
    name: Omittable[Text] = None
    note: Text | None = None


def test_an_omittable_field_may_be_left_out_but_not_sent_as_null():
    assert Renaming().model_fields_set == set()
    assert Renaming(name="new").name == "new"
    with pytest.raises(ValidationError, match="null is refused") as refused:
        Renaming.model_validate({"name": None})
    assert refused.value.errors()[0]["loc"] == ("name",)
    assert Renaming.model_validate({"note": None}).model_fields_set == {"note"}


def test_an_omittable_field_refused_is_one_error_at_the_field():
    with pytest.raises(ValidationError) as refused:
        Renaming.model_validate({"name": "a\x00b"})

    assert [(error["loc"], error["type"]) for error in refused.value.errors()] == [
        (("name",), "string_pattern_mismatch")
    ]


def test_an_omittable_field_is_documented_without_null():
    app = FastAPI()

    @app.patch("/things/1")
    def rename(body: Renaming) -> None:
        return None

    properties = app.openapi()["components"]["schemas"]["Renaming"]["properties"]
    assert properties["name"] == {"type": "string", "pattern": NO_NUL, "title": "Name"}
    assert {"type": "null"} in properties["note"]["anyOf"]


def test_a_timestamp_is_answered_in_utc_with_its_offset():
    adapter = TypeAdapter(UtcDateTime)
    naive = datetime(2026, 1, 2, 3, 4, 5)  # as SQLite gives it back
    paris = datetime(2026, 1, 2, 4, 4, 5, tzinfo=timezone(timedelta(hours=1)))

    assert adapter.dump_json(adapter.validate_python(naive)) == b'"2026-01-02T03:04:05Z"'
    assert adapter.validate_python(paris) == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_a_timestamp_read_is_answered_in_utc_and_documented_as_a_timestamp():
    adapter = TypeAdapter(UtcDateTimeRead)
    utc = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)  # as asyncpg gives it back
    naive = datetime(2026, 1, 2, 3, 4, 5)  # as SQLite gives it back
    paris = datetime(2026, 1, 2, 4, 4, 5, tzinfo=timezone(timedelta(hours=1)))

    assert adapter.validate_python(utc) is utc
    for value in (utc, naive, paris):
        assert adapter.dump_json(adapter.validate_python(value)) == b'"2026-01-02T03:04:05Z"'
    for mode in ("validation", "serialization"):
        documented = TypeAdapter(UtcDateTime).json_schema(mode=mode)
        assert adapter.json_schema(mode=mode) == documented


def _items_app() -> FastAPI:
    app = FastAPI()

    @app.get("/items/{item_id}")
    def read(
        item_id: Annotated[int, Path(ge=1), PlainInteger],
        limit: Annotated[int, Query(ge=1, le=10), PlainInteger] = 5,
    ) -> dict[str, int]:
        return {"item_id": item_id, "limit": limit}

    return app


async def _get(path: str, limit: str) -> httpx.Response:
    async with app_client(_items_app()) as client:
        return await client.get(f"/items/{path}", params={"limit": limit})


@pytest.mark.parametrize(("path", "limit"), [("4", "3"), ("4.0", "3.0"), ("4", "+3")])
async def test_plain_integers_are_accepted(path, limit):
    response = await _get(path, limit)

    assert response.status_code == 200
    assert response.json() == {"item_id": 4, "limit": 3}


@pytest.mark.parametrize(
    ("path", "limit"), [("%204", "3"), ("4_0", "3"), ("4", " 3"), ("4", "3_0"), ("4", "0x3")]
)
async def test_integers_written_otherwise_are_refused(path, limit):
    assert (await _get(path, limit)).status_code == 422


def test_plain_integers_keep_their_bounds_in_openapi():
    document = _items_app().openapi()
    parameters = document["paths"]["/items/{item_id}"]["get"]["parameters"]

    assert [parameter["schema"] for parameter in parameters] == [
        {"type": "integer", "minimum": 1, "title": "Item Id"},
        {"type": "integer", "maximum": 10, "minimum": 1, "default": 5, "title": "Limit"},
    ]


@pytest.mark.parametrize(
    "value", ["0.5", "1700000000", 1700000000, 0.5, "2026-11-29T08:00:00", "2026-11-29", ""]
)
def test_utc_date_time_takes_only_rfc3339_text_with_its_offset(value):
    with pytest.raises(ValidationError, match="RFC 3339"):
        TypeAdapter(UtcDateTime).validate_python(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-29T08:00:00Z", datetime(2026, 11, 29, 8, tzinfo=UTC)),
        ("2026-11-29T10:00:00.5+02:00", datetime(2026, 11, 29, 8, 0, 0, 500000, tzinfo=UTC)),
    ],
)
def test_utc_date_time_reads_rfc3339_text_in_utc(value, expected):
    assert TypeAdapter(UtcDateTime).validate_python(value) == expected


Quantity = TypeAdapter(Annotated[int, Field(ge=1, le=10), JsonInteger])


@pytest.mark.parametrize(("body", "expected"), [("4", 4), ("4.0", 4), ("1e1", 10)])
def test_a_json_integer_is_what_json_schema_calls_an_integer(body, expected):
    assert Quantity.validate_json(body) == expected


@pytest.mark.parametrize("body", ["4.5", '"4"', "true", "0", "11.0", "1e400"])
def test_a_json_integer_refuses_fractions_text_booleans_and_values_out_of_bounds(body):
    with pytest.raises(ValidationError):
        Quantity.validate_json(body)


def test_a_json_integer_keeps_its_bounds_in_the_schema():
    assert Quantity.json_schema() == {"type": "integer", "minimum": 1, "maximum": 10}


def test_a_json_integer_must_follow_an_integer():
    with pytest.raises(TypeError, match="JsonInteger follows an integer"):
        TypeAdapter(Annotated[str, JsonInteger])


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_utc_date_time_refuses_a_time_outside_the_years_of_utc(value):
    """Valid RFC 3339 text, but no UTC time: refused as input, never an overflow (a 500)."""
    with pytest.raises(ValidationError, match="between years 1 and 9999"):
        TypeAdapter(UtcDateTime).validate_python(value)
