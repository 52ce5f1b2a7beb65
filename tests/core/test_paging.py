"""The kernel's page schema and page size: what every listing answers alike."""

from __future__ import annotations

from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI
from pydantic import Field, ValidationError

from core import Page, PagingSettings, page_size


class NumberPage(Page[int]):
    pass


def test_a_page_of_one_row_more_than_its_size_points_at_the_next():
    page = NumberPage.of([1, 2, 3], size=2, item=lambda row: row * 10, cursor=str)

    assert page.model_dump() == {"items": [10, 20], "next": "2"}


@pytest.mark.parametrize("rows", [[], [1], [1, 2]])
def test_the_last_page_has_no_next(rows):
    page = NumberPage.of(rows, size=2, item=lambda row: row, cursor=str)

    assert page.items == rows
    assert page.next is None


def test_a_page_schema_keeps_the_listing_name():
    schema = NumberPage.model_json_schema()

    assert schema["title"] == "NumberPage"
    assert list(schema["properties"]) == ["items", "next"]
    assert schema["required"] == ["items", "next"]


class Listing(PagingSettings):
    default_page_size: int = Field(default=50, ge=1, le=1000)


def test_a_lower_maximum_lowers_the_default_with_it():
    assert Listing(max_page_size=10).default_page_size == 10
    assert Listing().default_page_size == 50


def test_a_default_above_the_maximum_is_refused():
    with pytest.raises(ValidationError):
        Listing(max_page_size=10, default_page_size=20)


Size = Annotated[int, Depends(page_size(maximum=5, default=3, description="Items per page."))]


@pytest.fixture
async def client():
    app = FastAPI()

    @app.get("/items")
    async def items(limit: Size) -> int:
        return limit

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        yield client


@pytest.mark.parametrize(("query", "status", "answer"), [("", 200, 3), ("?limit=5", 200, 5)])
async def test_a_fixed_page_size_takes_its_default_and_its_maximum(client, query, status, answer):
    response = await client.get(f"/items{query}")

    assert response.status_code == status
    assert response.json() == answer


@pytest.mark.parametrize("limit", ["6", "0", "2.5"])
async def test_a_fixed_page_size_out_of_bounds_is_a_validation_error(client, limit):
    response = await client.get("/items", params={"limit": limit})

    assert response.status_code == 422


def test_a_page_size_needs_its_bounds():
    with pytest.raises(TypeError):
        page_size(description="Items per page.")
