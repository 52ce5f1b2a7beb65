"""What the served OpenAPI document says of a request and its answers, to hold against the server.

A client trusts the document: a body it says is valid must not get 422, and one it says is invalid
must not get through. Tests ask the document with :func:`body_accepts` and the server with a
request, and assert both answers agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsonschema_rs

JSON = "application/json"


def request_content(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    """Returns the ``requestBody.content`` of the operation: its schema for each media type."""
    content: dict[str, Any] = document["paths"][path][method.lower()]["requestBody"]["content"]
    return content


def body_accepts(
    document: dict[str, Any], method: str, path: str, media_type: str = JSON
) -> Callable[[object], bool]:
    """Returns whether the document's schema for the operation's body, sent as ``media_type``,
    accepts a value (formats checked, as Schemathesis does)."""
    schema = request_content(document, method, path)[media_type]["schema"]
    # The body's schema refers to `#/components/...`: validate against a root that holds them.
    validator = jsonschema_rs.Draft202012Validator(
        {**schema, "components": document["components"]}, validate_formats=True
    )
    return validator.is_valid


def response_description(document: dict[str, Any], method: str, path: str, status: str) -> str:
    """Returns the description of the operation's ``status`` answer, where the document names
    the error codes that answer may carry."""
    description: str = document["paths"][path][method.lower()]["responses"][status]["description"]
    return description
