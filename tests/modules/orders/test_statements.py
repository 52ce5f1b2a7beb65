"""A checkout costs the same statements whatever its number of lines."""

from __future__ import annotations

import pytest

from core.testing.kernel import kernel_of
from core.testing.statements import count_statements


@pytest.mark.parametrize("settings", [{"max_lines": 20}])
async def test_checkout_statements_do_not_grow_with_the_lines(
    app, alice, place, make_product, stock_of
):
    products = [await make_product(f"P-{i}", stock=10) for i in range(20)]

    counts = []
    for size in (1, 3, 20):
        lines = [{"product_id": product["id"], "quantity": 1} for product in products[:size]]
        with count_statements(kernel_of(app).database.engine) as log:
            response = await place(alice, lines)
        assert response.status_code == 201, response.text
        counts.append(len(log))

    assert counts[0] == counts[1] == counts[2], counts
    assert await stock_of(products[0]["id"]) == 7
    assert await stock_of(products[19]["id"]) == 9
