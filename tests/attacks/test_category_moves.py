"""Category moves racing each other, and a tree corrupted behind the API's back.

Two opposite moves (A under B, B under A) each passed the cycle check before the other was
written, and together made a cycle; reading a category of that cycle then ran its breadcrumb
query forever (PostgreSQL until a statement timeout, SQLite never answered).
"""

from __future__ import annotations

import asyncio
from collections import Counter

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
