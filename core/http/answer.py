"""Reads answered in one pass: rows, then the response schema, then JSON bytes.

A read route keeps its ``response_model`` (the OpenAPI document is built from it) and returns
``answer(ProductPage, {"items": rows, "next": cursor})``. The value is validated once against
the schema, reading mappings, SQLAlchemy rows and objects by attribute alike, and serialised once
to JSON bytes by pydantic-core, exactly as FastAPI would serialise the route's response model.
FastAPI sends a returned ``Response`` as it is: it does not validate or encode the value again.

Only the fields the schema declares are read, so a column it does not name (a password hash, a
version) never reaches the client, as with ``response_model`` alone. A schema that keeps unknown
fields (``extra="allow"``) is refused for that reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter
from starlette.responses import Response

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
    adapter = _adapter(schema)
    body = adapter.dump_json(adapter.validate_python(value, from_attributes=True), by_alias=True)
    return Response(body, status_code=status_code, headers=headers, media_type=JSON)


@cache
def _adapter(schema: Any) -> TypeAdapter[Any]:
    # One adapter per schema, built at its first answer: building one compiles its validator.
    model = isinstance(schema, type) and issubclass(schema, BaseModel)
    if model and schema.model_config.get("extra") == "allow":
        raise TypeError(f"{schema.__name__} keeps unknown fields: it cannot filter a row")
    return TypeAdapter(schema)
