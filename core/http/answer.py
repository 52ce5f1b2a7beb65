"""Reads answered in one pass: rows, then the response schema, then JSON bytes.

A read route keeps its ``response_model`` (the OpenAPI document is built from it) and returns
``answer(ProductPage, {"items": rows, "next": cursor})``. The value is validated once against
the schema, reading mappings, SQLAlchemy rows and objects by attribute alike, and written once
to JSON bytes, exactly as FastAPI would serialise the route's response model. The rows are
validated into plain data rather than model objects (:mod:`core.http.projection`), and written
by orjson where it writes what pydantic-core would. FastAPI sends a returned ``Response`` as it
is: it does not validate or encode the value again.

Only the fields the schema declares are read, so a column it does not name (a password hash, a
version) never reaches the client, as with ``response_model`` alone. A schema that keeps unknown
fields (``extra="allow"``) is refused for that reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cache
from typing import Any

import orjson
from pydantic import BaseModel, TypeAdapter
from pydantic_core import SchemaSerializer, SchemaValidator
from starlette.responses import Response

from core.http.projection import as_plain_data, writes_plain_json

JSON = "application/json"


def answer(
    schema: Any,
    value: object,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Returns the JSON response of ``value`` read as ``schema`` (the route's response model).

    Headers go in ``headers``: FastAPI does not copy those set on the route's injected
    ``Response`` onto a response the route returns.
    """
    body = _encoder(schema)(value)
    return Response(body, status_code=status_code, headers=headers, media_type=JSON)


@cache
def _encoder(schema: Any) -> Callable[[object], bytes]:
    # One encoder per schema, built at its first answer: building one compiles its validator.
    model = isinstance(schema, type) and issubclass(schema, BaseModel)
    if model and schema.model_config.get("extra") == "allow":
        raise TypeError(f"{schema.__name__} keeps unknown fields: it cannot filter a row")
    plain = as_plain_data(TypeAdapter(schema).core_schema)
    validator = SchemaValidator(plain)
    serializer = SchemaSerializer(plain)

    def validate(value: object) -> Any:
        # Typed dicts read objects through `as_plain_data`; a model kept as it is, by attribute.
        return validator.validate_python(value, from_attributes=True)

    if not writes_plain_json(plain):
        return lambda value: serializer.to_json(validate(value), by_alias=True)

    def encode(value: object) -> bytes:
        data = validate(value)
        try:
            return orjson.dumps(data, default=_decimal_text, option=orjson.OPT_UTC_Z)
        except orjson.JSONEncodeError:
            # What orjson does not write (an integer beyond 64 bits), pydantic-core does.
            return serializer.to_json(data, by_alias=True)

    return encode


def _decimal_text(value: object) -> str:
    # The only value of a plain schema orjson leaves to us; pydantic-core writes its text.
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError
