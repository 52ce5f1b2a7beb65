"""Registrations racing for one email on PostgreSQL: one wins, the others get a 409."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from core.testing.databases import is_postgres

PASSWORD = "correct horse battery"

RACERS = 10


async def test_concurrent_registrations_of_one_email_create_one_account(
    mosaic_database_url, client
):
    if not is_postgres(mosaic_database_url):
        pytest.skip("SQLite runs one writer at a time, so registrations cannot race there")

    responses = await asyncio.gather(
        *(
            client.post("/api/v1/users", json={"email": "race@example.com", "password": PASSWORD})
            for _ in range(RACERS)
        )
    )

    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: 1, 409: RACERS - 1}
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"users.email_taken"}
