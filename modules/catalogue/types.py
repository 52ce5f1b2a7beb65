"""Field types the catalogue's inputs and outputs share: ids, slugs, names, prices.

Inputs forbid unknown fields, bound every string and take JSON's integers as JSON Schema does
(``JsonInteger``: ``4`` and ``4.0`` are integers, ``"4"`` or ``true`` is not).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from core import JsonInteger, Text
from modules.catalogue.models import (
    NAME_LENGTH,
    PRICE_DIGITS,
    PRICE_PLACES,
    SKU_LENGTH,
    SLUG_LENGTH,
    TAG_NAME_LENGTH,
)

MAX_ID = 2**31 - 1
MAX_POSITION = 1_000_000
MAX_STOCK = 2**31 - 1
MAX_DESCRIPTION = 10_000
MAX_TAGS = 50


CENT = Decimal("0.01")
# A price as text: up to ten digits, then at most two decimals after a `.` (`24.50`, `3`).
PRICE_PATTERN = rf"^[0-9]{{1,{PRICE_DIGITS - PRICE_PLACES}}}(?:\.[0-9]{{1,{PRICE_PLACES}}})?$"
_PRICE = re.compile(PRICE_PATTERN)


def _price_text(value: object) -> object:
    """A price is the text its pattern describes. Not a JSON number, which a client holds as a
    binary float; nor what else `Decimal` reads (``1e2``, ``1_000``, ``.5``, `` 1``)."""
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "Input should be a valid string")
    if not _PRICE.fullmatch(value):
        raise PydanticCustomError(
            "string_pattern_mismatch",
            "String should match pattern '{pattern}'",
            {"pattern": PRICE_PATTERN},
        )
    return value


def _to_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT)


Id = Annotated[int, Field(ge=1, le=MAX_ID), JsonInteger]
Slug = Annotated[
    str,
    Field(
        min_length=1,
        max_length=SLUG_LENGTH,
        pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
        description="Lower-case letters and digits in words joined by `-`.",
        examples=["garden-tools"],
    ),
]
Sku = Annotated[
    str,
    Field(
        min_length=1,
        max_length=SKU_LENGTH,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        description="Stock keeping unit: letters, digits, `.`, `_` and `-`.",
        examples=["TOOL-0042"],
    ),
]
# Inputs are stripped (`Input`), so a name of nothing but white space would be empty: the pattern
# says a name holds something else, and, like `Text`, no NUL.
NAME_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"
Name = Annotated[str, Field(min_length=1, max_length=NAME_LENGTH, pattern=NAME_PATTERN)]
TagName = Annotated[str, Field(min_length=1, max_length=TAG_NAME_LENGTH, pattern=NAME_PATTERN)]
Description = Annotated[Text, Field(max_length=MAX_DESCRIPTION)]
# Money is a decimal string both ways, so a client never holds it as a binary float.
PRICE_SCHEMA = {
    "type": "string",
    "pattern": PRICE_PATTERN,
    "description": "Amount in the catalogue's currency, at most two decimal places.",
    "examples": ["24.50"],
}
Price = Annotated[
    Decimal,
    BeforeValidator(_price_text),
    AfterValidator(_to_cents),
    WithJsonSchema(PRICE_SCHEMA),
]
# A price answered: the stored amount, written with its two decimal places (`24.50`).
PriceRead = Annotated[Decimal, AfterValidator(_to_cents), WithJsonSchema(PRICE_SCHEMA)]
Stock = Annotated[int, Field(ge=0, le=MAX_STOCK), JsonInteger]
Position = Annotated[int, Field(ge=0, le=MAX_POSITION), JsonInteger]
TagSlugs = Annotated[
    list[Slug],
    Field(max_length=MAX_TAGS, description="Slugs of existing tags; order does not matter."),
]


class Input(BaseModel):
    """The base of every input: unknown fields are refused, text is stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
