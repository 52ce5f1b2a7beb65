"""The OAuth2 token endpoint: form parsing, errors with the OAuth2 member, no-store."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.testing.kernel import kernel_of
from modules.auth import plugin as auth_plugin
from modules.users import plugin as users_plugin
from tests.modules.auth.conftest import FAST_HASHING, login, register, request_token


async def test_successful_login_answers_the_contract(client):
    await register(client, "ok@example.com")

    response = await request_token(client, "OK@example.com")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token", "scope"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"


async def test_an_account_on_a_special_use_domain_logs_in(client):
    await register(client, "x@1e100.test")

    response = await request_token(client, "X@1e100.TEST")

    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"username": "a@example.com", "password": "x"}, "invalid_request"),
        ({"grant_type": "password", "username": "a@example.com"}, "invalid_request"),
        ({"grant_type": "client_credentials"}, "unsupported_grant_type"),
        ({"grant_type": "refresh_token"}, "invalid_request"),
        (
            {"grant_type": "password", "username": "a@example.com", "password": "x" * 129},
            "invalid_request",
        ),
    ],
)
async def test_malformed_requests(client, data, error):
    response = await client.post("/api/v1/auth/token", data=data)

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["error"] == error
    assert response.json()["code"].startswith("auth.")
    assert response.headers["cache-control"] == "no-store"


async def test_repeated_parameter_is_invalid_request(client):
    response = await client.post(
        "/api/v1/auth/token",
        content="grant_type=password&username=a@example.com&password=x&password=y",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


async def test_json_body_is_unsupported_media_type(client):
    response = await client.post(
        "/api/v1/auth/token", json={"grant_type": "password", "username": "a", "password": "b"}
    )

    assert response.status_code == 415
    assert response.json()["code"] == "core.unsupported_media_type"


async def test_over_long_password_is_refused_before_hashing(client, monkeypatch):
    import modules.auth.service as service

    async def must_not_verify(*_args, **_kwargs):
        raise AssertionError("an over-long password reached the hasher")

    monkeypatch.setattr(service, "verify_credentials", must_not_verify)

    response = await request_token(client, "a@example.com", "p" * 100_000)

    assert response.status_code == 400


async def test_openapi_documents_the_token_endpoint(client):
    schema = (await client.get("/openapi.json")).json()
    operation = schema["paths"]["/api/v1/auth/token"]["post"]

    form = operation["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    assert set(form["properties"]) >= {"grant_type", "username", "password"}
    assert set(operation["responses"]) >= {"200", "400", "415", "429", "500"}
    flow = schema["components"]["securitySchemes"]["OAuth2"]["flows"]["password"]
    assert flow["tokenUrl"] == "/api/v1/auth/token"
    assert "users:admin" in flow["scopes"]


async def test_hmac_publishes_no_key(client):
    response = await client.get("/api/v1/auth/jwks")

    assert response.status_code == 200
    assert response.json() == {"keys": []}


async def test_each_application_logs_in_with_its_own_hashing_parameters(mosaic_app, mosaic_client):
    plugins = {"users": users_plugin, "auth": auth_plugin}
    cheap = await mosaic_app(plugins, settings={"users": FAST_HASHING})
    dearer = await mosaic_app(plugins, settings={"users": {**FAST_HASHING, "argon2_time_cost": 3}})
    cheap_client, dearer_client = await mosaic_client(cheap), await mosaic_client(dearer)

    async def stored_hash() -> str:
        async with kernel_of(cheap).database.unit_of_work() as uow:
            return str(await uow.session.scalar(text("SELECT password_hash FROM users_users")))

    await register(cheap_client, "ada@example.com")
    await login(dearer_client, "ada@example.com")
    rehashed_by_dearer = await stored_hash()
    await login(cheap_client, "ada@example.com")  # both applications are running

    assert ",t=3," in rehashed_by_dearer
    assert ",t=2," in await stored_hash()
