"""Input and output of the orders API. Inputs forbid unknown fields: a client never sends a
price, a total, an owner or a state."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from core import JsonInteger, Page, Text, UtcDateTime
from modules.orders.config import LINES_CEILING, QUANTITY_CEILING
from modules.orders.models import NAME_LENGTH, NOTE_LENGTH, SKU_LENGTH, OrderStatus

MAX_PRODUCT_ID = 2**31 - 1


Quantity = Annotated[
    int,
    Field(ge=1, le=QUANTITY_CEILING, description="Units; at most the deployment's `max_quantity`."),
    JsonInteger,
]


class LineById(BaseModel):
    """A line naming its product by id."""

    model_config = ConfigDict(extra="forbid")

    product_id: Annotated[int, Field(ge=1, le=MAX_PRODUCT_ID), JsonInteger]
    quantity: Quantity


class LineBySku(BaseModel):
    """A line naming its product by SKU."""

    model_config = ConfigDict(extra="forbid")

    sku: Text = Field(min_length=1, max_length=SKU_LENGTH)
    quantity: Quantity


class OrderCreate(BaseModel):
    """What a customer orders. Prices, names and the currency come from the catalogue."""

    model_config = ConfigDict(extra="forbid")

    lines: list[LineById | LineBySku] = Field(
        max_length=LINES_CEILING,
        description="At least one, each product once; at most the deployment's `max_lines`.",
    )
    note: Text | None = Field(default=None, max_length=NOTE_LENGTH)


class OrderLineRead(BaseModel):
    """A line as sold: the catalogue's SKU, name and price at the time of the order."""

    model_config = ConfigDict(from_attributes=True)

    product_id: int
    sku: str = Field(max_length=SKU_LENGTH)
    name: str = Field(max_length=NAME_LENGTH)
    unit_price: Decimal
    quantity: int
    line_total: Decimal


class OrderRead(BaseModel):
    """An order, with its lines; its `ETag` header is what `If-Match` names to change it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    user_id: uuid.UUID | None
    status: OrderStatus
    currency: str
    total: Decimal
    note: str | None
    lines: list[OrderLineRead]
    created_at: UtcDateTime
    updated_at: UtcDateTime


class OrderPage(Page[OrderRead]):
    """One page of orders, newest first."""
