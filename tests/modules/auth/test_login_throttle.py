"""Login throttling and enumeration resistance."""

from __future__ import annotations

import os

import pytest

from core.testing.kernel import kernel_of
from tests.modules.auth.conftest import PASSWORD, register, request_token


async def _attempt(client, email, password="wrong password", address=None):
    return await request_token(client, email, password)


@pytest.fixture
def auth_settings():
    return {"login_attempts_per_account": "3/15 minutes", "login_attempts_per_address": "6/hour"}


async def test_account_is_throttled_with_retry_after(client):
    await register(client, "victim@example.com")
    for _ in range(3):
        assert (await _attempt(client, "victim@example.com")).status_code == 400

    blocked = await _attempt(client, "victim@example.com", password=PASSWORD)

    assert blocked.status_code == 429
    assert blocked.json()["code"] == "auth.login_throttled"
    assert 0 < int(blocked.headers["retry-after"]) <= 15 * 60


async def test_account_throttle_ignores_case(client):
    for email in ["Case@example.com", "CASE@example.com", "case@EXAMPLE.com"]:
        await _attempt(client, email)

    assert (await _attempt(client, "case@example.com")).status_code == 429


async def test_account_throttle_ignores_how_the_email_is_written(client):
    for email in ["Jos\u00e9@example.com", "Jose\u0301@example.com", " JOS\u00c9@example.com"]:
        await _attempt(client, email)

    assert (await _attempt(client, "jos\u00e9@example.com")).status_code == 429


async def test_address_is_throttled_across_accounts(client):
    for index in range(6):
        assert (await _attempt(client, f"spray{index}@example.com")).status_code == 400

    blocked = await _attempt(client, "someone-else@example.com")

    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) <= 3600


async def test_success_forgets_the_accounts_failures(client):
    await register(client, "forgetful@example.com")
    for _ in range(2):
        await _attempt(client, "forgetful@example.com")
    assert (await _attempt(client, "forgetful@example.com", PASSWORD)).status_code == 200

    for _ in range(2):
        assert (await _attempt(client, "forgetful@example.com")).status_code == 400


def _comparable(response):
    body = dict(response.json())
    body.pop("request_id")
    return response.status_code, body, response.headers.get("www-authenticate")


async def test_unknown_wrong_and_inactive_answer_the_same(app, client):
    await register(client, "known@example.com")
    await register(client, "inactive@example.com")
    async with kernel_of(app).database.unit_of_work() as uow:
        from sqlalchemy import text

        await uow.session.execute(
            text("UPDATE users_users SET is_active = false WHERE email = 'inactive@example.com'")
        )

    unknown = await _attempt(client, "nobody@example.com", PASSWORD)
    wrong = await _attempt(client, "known@example.com", "wrong password")
    inactive = await _attempt(client, "inactive@example.com", PASSWORD)

    assert _comparable(unknown) == _comparable(wrong) == _comparable(inactive)
    assert unknown.json()["error"] == "invalid_grant"


async def test_unknown_email_still_pays_for_a_hash(client, monkeypatch):
    """Similar timing comes from doing the same work: an unknown email is verified against a
    dummy hash rather than answered at once."""
    from pwdlib import PasswordHash

    calls = []
    original = PasswordHash.verify_and_update

    def counting(self, password, hash):  # noqa: A002 - pwdlib's parameter name
        calls.append(hash)
        return original(self, password, hash)

    monkeypatch.setattr(PasswordHash, "verify_and_update", counting)
    original_verify = PasswordHash.verify

    def counting_verify(self, password, hash):  # noqa: A002
        calls.append(hash)
        return original_verify(self, password, hash)

    monkeypatch.setattr(PasswordHash, "verify", counting_verify)

    await _attempt(client, "nobody@example.com", PASSWORD)

    assert len(calls) == 1
    assert calls[0].startswith("$argon2id$")


@pytest.mark.skipif(not os.environ.get("MOSAIC_TEST_REDIS_URL"), reason="needs Redis")
async def test_two_workers_share_the_count_through_redis(mosaic_app, mosaic_client):
    from modules.auth import plugin as auth_plugin
    from modules.users import plugin as users_plugin
    from tests.modules.auth.conftest import FAST_HASHING

    env = {"redis_url": os.environ["MOSAIC_TEST_REDIS_URL"]}
    settings = {"users": FAST_HASHING, "auth": {"login_attempts_per_account": "2/minute"}}
    plugins = {"users": users_plugin, "auth": auth_plugin}
    first = await mosaic_client(await mosaic_app(plugins, settings=settings, env=env))
    second = await mosaic_client(await mosaic_app(plugins, settings=settings, env=env))
    email = f"shared-{os.getpid()}-{id(first)}@example.com"

    await _attempt(first, email)
    await _attempt(second, email)

    assert (await _attempt(first, email)).status_code == 429
