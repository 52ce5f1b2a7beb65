"""Promises under concurrent requests: a mailed token is used once, a mail limit holds.

On PostgreSQL the requests truly overlap (the conditional UPDATE's row lock decides); SQLite runs
one writer at a time, where the same promises must hold all the same.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from tests.modules.users.conftest import mailed_token

RACERS = 10


@pytest.fixture
async def app(mail_app):
    return await mail_app()


async def test_concurrent_uses_of_one_reset_link_succeed_once(
    app, client, register, deliver_events, mosaic_smtp
):
    await register("ada@example.com")
    await client.post("/api/v1/users/password-reset", json={"email": "ada@example.com"})
    await deliver_events(app)
    [mail] = [m for m in mosaic_smtp.messages if m.message["Subject"] == "Reset your password"]
    token = mailed_token(mail)

    responses = await asyncio.gather(
        *(
            client.post(
                "/api/v1/users/password-reset/confirm",
                json={"token": token, "new_password": f"new passphrase number {n}"},
            )
            for n in range(RACERS)
        )
    )

    statuses = Counter(response.status_code for response in responses)
    assert statuses == {204: 1, 400: RACERS - 1}, [r.text for r in responses]


async def test_concurrent_uses_of_one_verification_link_succeed_once(
    app, client, register, deliver_events, mosaic_smtp
):
    await register("ada@example.com")
    await deliver_events(app)
    token = mailed_token(mosaic_smtp.messages[0])

    responses = await asyncio.gather(
        *(client.post("/api/v1/users/verify", json={"token": token}) for _ in range(RACERS))
    )

    statuses = Counter(response.status_code for response in responses)
    assert statuses == {204: 1, 400: RACERS - 1}, [r.text for r in responses]


async def test_concurrent_reset_requests_stop_at_the_limit(mail_app, mosaic_client):
    app = await mail_app(password_resets_per_account="3/hour")
    client = await mosaic_client(app)

    responses = await asyncio.gather(
        *(
            client.post("/api/v1/users/password-reset", json={"email": "ada@example.com"})
            for _ in range(RACERS)
        )
    )

    statuses = Counter(response.status_code for response in responses)
    assert statuses == {202: 3, 429: RACERS - 3}
