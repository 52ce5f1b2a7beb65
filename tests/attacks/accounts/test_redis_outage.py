"""Redis unreachable: logins answer 503 with Retry-After and readiness says so, never a 500.

The attack: with Redis down every login answered 500 while ``/health/ready`` said 200. Logins
now fail closed (a per-process fallback would multiply the limits by the number of workers).
"""

from __future__ import annotations

import pytest

from modules.auth import plugin as auth_plugin
from modules.users import plugin as users_plugin
from tests.modules.auth.conftest import FAST_HASHING, PASSWORD, register, request_token

# Nothing listens on port 1 of the loopback: connections are refused at once.
UNREACHABLE = "redis://127.0.0.1:1/0"


@pytest.fixture
async def client(mosaic_app, mosaic_client):
    app = await mosaic_app(
        {"users": users_plugin, "auth": auth_plugin},
        settings={"users": FAST_HASHING},
        env={"redis_url": UNREACHABLE},
    )
    return await mosaic_client(app)


async def test_login_answers_503_with_retry_after(client):
    await register(client, "patient@example.com")

    response = await request_token(client, "patient@example.com")

    assert response.status_code == 503
    assert response.json()["code"] == "auth.login_unavailable"
    assert int(response.headers["retry-after"]) > 0
    assert "Traceback" not in response.text


async def test_readiness_reports_redis(client):
    response = await client.get("/health/ready")

    assert response.status_code == 503
    assert response.json()["code"] == "core.service_unavailable"
    assert "Redis" in response.json()["detail"]
    assert int(response.headers["retry-after"]) > 0


async def test_the_rest_of_the_api_still_answers(client):
    assert (
        await client.post("/api/v1/users", json={"email": "a@example.com", "password": PASSWORD})
    ).status_code == 201


@pytest.mark.parametrize("path", ["/api/v1/users/password-reset", "/api/v1/users/verify/resend"])
async def test_mail_requests_fail_closed_with_retry_after(client, path):
    response = await client.post(path, json={"email": "patient@example.com"})

    assert response.status_code == 503
    assert response.json()["code"] == "users.throttle_unavailable"
    assert int(response.headers["retry-after"]) > 0
