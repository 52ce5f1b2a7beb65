"""Concurrent wrong passwords against one account: the throttle caps the passwords checked.

The attack: 40 guesses sent at once were all checked, because the limit was tested before the
hash and the failure counted after it. Every attempt is now reserved before its hash.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from pwdlib import PasswordHash

from tests.modules.auth.conftest import PASSWORD, register, request_token

GUESSES = 40
PER_ACCOUNT = 5


@pytest.fixture
def hashes_checked(monkeypatch):
    """Counts password verifications, whichever path (known or unknown email) makes them."""
    calls: list[str] = []
    for name in ("verify", "verify_and_update"):
        original = getattr(PasswordHash, name)

        def counting(self, password, hash, _original=original):  # noqa: A002 - pwdlib's name
            calls.append(hash)
            return _original(self, password, hash)

        monkeypatch.setattr(PasswordHash, name, counting)
    return calls


async def _guess(client, email, password="wrong password"):
    return await request_token(client, email, password)


async def test_concurrent_guesses_check_at_most_the_limit(client, hashes_checked):
    await register(client, "target@example.com")
    hashes_checked.clear()  # registration hashed once

    responses = await asyncio.gather(
        *(_guess(client, "target@example.com") for _ in range(GUESSES))
    )

    statuses = Counter(response.status_code for response in responses)
    assert len(hashes_checked) <= PER_ACCOUNT
    assert statuses == {400: len(hashes_checked), 429: GUESSES - len(hashes_checked)}
    for response in responses:
        if response.status_code == 429:
            assert response.json()["code"] == "auth.login_throttled"
            assert int(response.headers["retry-after"]) > 0


async def test_the_right_password_is_throttled_too_once_the_account_is(client, hashes_checked):
    await register(client, "owner@example.com")
    await asyncio.gather(*(_guess(client, "owner@example.com") for _ in range(GUESSES)))

    late = await _guess(client, "owner@example.com", PASSWORD)

    assert late.status_code == 429


async def test_concurrent_guesses_over_many_accounts_are_capped_per_address(client, hashes_checked):
    responses = await asyncio.gather(
        *(_guess(client, f"spray{index}@example.com") for index in range(GUESSES))
    )

    statuses = Counter(response.status_code for response in responses)
    assert statuses == {400: 30, 429: GUESSES - 30}  # 30 per address by default
    assert len(hashes_checked) == 30
