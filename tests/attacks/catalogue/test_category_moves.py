"""Category moves racing each other, and a tree corrupted behind the API's back.

Two opposite moves (A under B, B under A) each passed the cycle check before the other was
written, and together made a cycle; reading a category of that cycle then ran its breadcrumb
query forever (PostgreSQL until a statement timeout, SQLite never answered).
"""

from __future__ import annotations

import asyncio
from collections import Counter

from sqlalchemy import text

from core.testing.kernel import kernel_of
from tests.modules.catalogue.conftest import API

ROUNDS = 3
MOVES = 20  # per round: half move A under B, half B under A


def parents(categories: list[dict[str, object]]) -> dict[object, object]:
    return {category["id"]: category["parent_id"] for category in categories}


def has_cycle(parent_of: dict[object, object]) -> bool:
    for start in parent_of:
        seen, current = set(), start
        while current is not None:
            if current in seen:
                return True
            seen.add(current)
            current = parent_of[current]
    return False


async def test_opposite_concurrent_moves_never_make_a_cycle(client, writer, make_category):
    for round_ in range(ROUNDS):
        first = await make_category(f"first-{round_}")
        second = await make_category(f"second-{round_}")

        def move(category, parent):
            return client.patch(
                f"{API}/categories/{category['id']}",
                json={"parent_id": parent["id"]},
                headers=writer,
            )

        responses = await asyncio.gather(
            *(move(first, second) if i % 2 else move(second, first) for i in range(MOVES))
        )

        statuses = Counter(response.status_code for response in responses)
        assert set(statuses) <= {200, 409}, statuses
        assert {r.json()["code"] for r in responses if r.status_code == 409} <= {
            "catalogue.category_cycle"
        }
        listed = (await client.get(f"{API}/categories")).json()
        assert not has_cycle(parents(listed)), f"round {round_}: {statuses}"


async def plant_cycle(app, *, child: dict[str, object], parent: dict[str, object]) -> None:
    """Points ``child`` at ``parent`` in the database itself, past every check of the API."""
    async with kernel_of(app).database.engine.begin() as connection:
        await connection.execute(
            text("UPDATE catalogue_categories SET parent_id = :parent WHERE id = :child"),
            {"parent": parent["id"], "child": child["id"]},
        )


async def test_a_planted_cycle_answers_a_clear_error_at_once(app, client, make_category):
    top = await make_category("top")
    middle = await make_category("middle", parent_id=top["id"])
    leaf = await make_category("leaf", parent_id=middle["id"])
    await plant_cycle(app, child=top, parent=middle)

    for category in (top, middle, leaf):
        response = await asyncio.wait_for(client.get(f"{API}/categories/{category['id']}"), 1)

        assert response.status_code == 500
        body = response.json()
        assert body["code"] == "catalogue.category_tree_corrupt"
        assert body["cycle"] == sorted([top["id"], middle["id"]])
        assert "Traceback" not in response.text


async def test_the_tree_reports_a_planted_cycle_until_it_is_repaired(
    app, client, writer, make_category
):
    top = await make_category("top")
    middle = await make_category("middle", parent_id=top["id"])
    await make_category("elsewhere")
    await plant_cycle(app, child=top, parent=middle)

    tree = await asyncio.wait_for(client.get(f"{API}/categories/tree"), 1)
    flat = await asyncio.wait_for(client.get(f"{API}/categories"), 1)

    assert tree.status_code == 500
    assert tree.json()["code"] == "catalogue.category_tree_corrupt"
    assert tree.json()["cycle"] == sorted([top["id"], middle["id"]])
    assert flat.status_code == 200  # the flat list still shows every category, cycle included
    assert {category["slug"] for category in flat.json()} == {"top", "middle", "elsewhere"}

    # What the error tells an operator to do: move one member of the cycle to the top level.
    repair = await client.patch(
        f"{API}/categories/{top['id']}", json={"parent_id": None}, headers=writer
    )
    tree = await client.get(f"{API}/categories/tree")
    breadcrumb = await client.get(f"{API}/categories/{middle['id']}")

    assert repair.status_code == 200
    assert [node["slug"] for node in tree.json()] == ["elsewhere", "top"]
    assert [ancestor["slug"] for ancestor in breadcrumb.json()["ancestors"]] == ["top"]
