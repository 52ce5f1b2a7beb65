"""Annotated types for modules' API schemas: every module checks and documents its input alike.

- :data:`Text`: a string a module may store. PostgreSQL text cannot hold the NUL character, so
  ``Text`` refuses it (422) and its schema says so (``pattern``). Add lengths where it is used::

      name: Text = Field(min_length=1, max_length=200)
      q: Annotated[Text | None, Query(max_length=100)] = None

- :data:`UtcDateTime`: a timestamp answered as RFC 3339 ``date-time``, always with its offset,
  and taken as input only in that form (no number of seconds, no time without an offset).
- :data:`UtcDateTimeRead`: the same timestamp in a response schema only, for values read from
  the database: one already in UTC passes without a call into Python.
- :data:`Omittable`: a field of a partial update (PATCH) that may be left out but not sent as
  ``null``: ``name: Omittable[Name] = None``. OpenAPI shows ``Name`` alone, not nullable; an
  explicit ``null`` is refused (422). A field that ``null`` clears stays ``Name | None``.
- :data:`JsonInteger`: an integer in a JSON body, as JSON Schema's ``integer`` is: ``4`` and
  ``4.0`` (a number with a zero fraction) are integers; ``4.5``, ``"4"`` and ``true`` are not.
  Placed last: ``Annotated[int, Field(ge=1), JsonInteger]``.
- :data:`PlainInteger`: for integer path and query parameters, placed after ``Path(...)`` or
  ``Query(...)``: ``Annotated[int, Path(ge=1), PlainInteger]``.
- :class:`SettingMaximum`: for a parameter whose maximum is a module setting.
- :class:`NamedEnum`: the base of an enum a client sends or receives, whose values are not all
  names a program can use (``"-price"``): OpenAPI gives its members' names as
  ``x-enum-varnames``, which client generators use instead of inventing ``VALUE_3``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

__all__ = [
    "NO_NUL",
    "JsonInteger",
    "NamedEnum",
    "Omittable",
    "PlainInteger",
    "SettingMaximum",
    "Text",
    "UtcDateTime",
    "UtcDateTimeRead",
]

T = TypeVar("T")

#: The pattern of :data:`Text`: any string without the NUL character.
NO_NUL = r"^[^\x00]*$"

# PostgreSQL text cannot hold the NUL character: `Text` refuses it, and its schema says so.
Text = Annotated[str, Field(pattern=NO_NUL)]


def _in_utc(value: datetime) -> datetime:
    """SQLite keeps no time zone: its timestamps are UTC and come back naive."""
    if value.tzinfo is UTC:  # PostgreSQL's, as asyncpg reads them: nothing to convert
        return value
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        # 0001-01-01T00:00:00+01:00 is a valid RFC 3339 text whose UTC time is before year 1.
        raise PydanticCustomError(
            "datetime_range", "Input should be a date-time between years 1 and 9999 in UTC"
        ) from None


# RFC 3339's date-time, which OpenAPI's `format: date-time` names. Left to itself, pydantic also
# takes a number of seconds ("0.5") or a time without an offset, which the schema does not promise.
_RFC3339 = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$"
)


# A tuple, not `str | bytes | …`: isinstance checks a tuple without building a union's check.
_FORMS_TO_CHECK = (str, bytes, int, float)


def _rfc3339(value: object) -> object:
    if isinstance(value, _FORMS_TO_CHECK) and not (
        isinstance(value, str) and _RFC3339.match(value)
    ):
        raise PydanticCustomError(
            "datetime_format",
            "Input should be an RFC 3339 date-time with its offset, like 2026-11-29T08:00:00Z",
        )
    return value


# A timestamp always answered with its offset, as RFC 3339 (`format: date-time`) requires, and
# taken only as RFC 3339 text.
UtcDateTime = Annotated[datetime, BeforeValidator(_rfc3339), AfterValidator(_in_utc)]


class _ReadInUtc:
    """A timestamp of a response: one already in UTC (PostgreSQL's, as asyncpg reads them) is
    checked by pydantic-core alone; any other (SQLite's, naive) is put in UTC by ``_in_utc``.
    The RFC 3339 check is an input check: values read from the database skip it."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        in_utc = core_schema.datetime_schema(strict=True, tz_constraint=0)
        converted = core_schema.no_info_after_validator_function(_in_utc, handler(source))
        return core_schema.union_schema([in_utc, converted], mode="left_to_right")

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # Documented as the timestamp it is, not as the union that reads it.
        return handler(core_schema.datetime_schema())


# Only in response schemas: it takes what UtcDateTime refuses (a time without an offset).
UtcDateTimeRead = Annotated[datetime, _ReadInUtc()]


def _not_null(value: object) -> object:
    # Validators do not run on defaults: only a `null` the client sent gets here.
    if value is None:
        raise PydanticCustomError(
            "not_null", "Leave the field out to keep its value; null is refused"
        )
    return value


@dataclass(frozen=True, slots=True)
class _LeftOutOrSet:
    """Validates ``T | None`` as ``T`` alone, after refusing ``None``: the schema (and so OpenAPI)
    is ``T``'s, and an error points at the field itself, not at a member of a union."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        schema = handler(source)
        if schema["type"] == "nullable":
            schema = schema["schema"]
        return core_schema.no_info_before_validator_function(_not_null, schema)


# `None` is only the default that says "left out", no value a client may send.
Omittable = Annotated[T | None, _LeftOutOrSet()]


def _whole_number(value: object) -> object:
    # JSON has one number type: `10.0` is the integer 10 to JSON Schema, and to a client whose
    # encoder writes every number with a fraction. Anything else is left to the strict integer.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _int_bounds(schema: core_schema.CoreSchema) -> dict[str, Any]:
    keys = ("le", "ge", "lt", "gt", "multiple_of", "ref", "metadata", "serialization")
    return {key: value for key, value in schema.items() if key in keys}


class _JsonInteger:
    """Makes the integer it follows strict, but for a number with a zero fraction. Placed last,
    after the bounds, so that they stay on the integer (and in its schema as ``minimum``)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        schema = handler(source)
        if schema["type"] != "int":
            raise TypeError("JsonInteger follows an integer type: Annotated[int, ..., JsonInteger]")
        return core_schema.no_info_before_validator_function(
            _whole_number, core_schema.int_schema(**{**_int_bounds(schema), "strict": True})
        )


# A body field: strict (no `"4"`, no `true`), but a number with a zero fraction is an integer.
JsonInteger = _JsonInteger()

_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def _plain_integer(value: object) -> object:
    """Path and query values arrive as text: an integer is written as a number (``4``, ``4.0``),
    not as pydantic would also read it, `` 4`` (``+4`` once a query string is decoded) or ``4_0``.
    """
    if isinstance(value, str) and not _NUMBER.fullmatch(value):
        raise PydanticCustomError(
            "int_parsing", "Input should be a valid integer, unable to parse string as an integer"
        )
    return value


# Placed after `Query(...)` or `Path(...)` in `Annotated`, where it keeps their bounds in OpenAPI.
PlainInteger = BeforeValidator(_plain_integer)


@dataclass(frozen=True, slots=True)
class SettingMaximum:
    """Says that a number parameter's maximum is a module setting, placed after ``Query(...)``::

        limit: Annotated[int, Query(ge=1, le=1000), SettingMaximum(MySettings, "max_page_size")]

    OpenAPI then shows the value the running deployment configured as the ``maximum``, instead
    of the bound in ``Query`` (the setting's own ceiling). Refusing a larger value (422) stays the
    route's job: parameters are validated without the deployment's settings.
    """

    settings: type[BaseModel]
    name: str


class NamedEnum(StrEnum):
    """A string enum whose JSON schema names its members (``x-enum-varnames``)::

    class ProductSort(NamedEnum):
        PRICE = "price"
        PRICE_DESC = "-price"
    """

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        # The enum is a component: its members' names go there, not on every reference to it.
        handler.resolve_ref_schema(json_schema)["x-enum-varnames"] = [member.name for member in cls]
        return json_schema
