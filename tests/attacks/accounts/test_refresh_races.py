"""One refresh token presented twice at once: exactly one request may rotate it.

The attack: on SQLite, where ``FOR UPDATE`` does nothing, two concurrent refreshes both got a
live token pair in 4 of 5 trials. Rotation is now one conditional UPDATE that only one wins.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from tests.modules.auth.conftest import login, me, refresh, register

TRIALS = 5
RACERS = 2


@pytest.mark.parametrize("trial", range(TRIALS))
async def test_concurrent_refreshes_issue_one_pair(client, trial):
    await register(client, f"racer{trial}@example.com")
    session = await login(client, f"racer{trial}@example.com")

    responses = await asyncio.gather(*(refresh(client, session.refresh) for _ in range(RACERS)))

    statuses = Counter(response.status_code for response in responses)
    assert statuses == {200: 1, 400: RACERS - 1}
    loser = next(response for response in responses if response.status_code == 400)
    assert loser.json()["code"] == "auth.refresh_token_reused"
    # The reuse revoked the session, so the winner's pair is dead as well (RFC 9700 §4.14.2).
    winner = next(response for response in responses if response.status_code == 200).json()
    assert (await me(client, winner["access_token"])).status_code == 401
    assert (await refresh(client, winner["refresh_token"])).status_code == 400


async def test_many_concurrent_refreshes_issue_one_pair(client):
    await register(client, "crowd@example.com")
    session = await login(client, "crowd@example.com")

    responses = await asyncio.gather(*(refresh(client, session.refresh) for _ in range(10)))

    assert Counter(response.status_code for response in responses) == {200: 1, 400: 9}
