"""Registration: who may register, with what, and what a client may not set."""

from __future__ import annotations

import uuid

import pytest

from modules.users.passwords import Passwords

PASSWORD = "correct horse battery"


async def test_registration_creates_an_active_account_without_roles(client):
    response = await client.post(
        "/api/v1/users",
        json={"email": "  Ada.Lovelace@Example.COM ", "password": PASSWORD, "display_name": "Ada"},
    )

    assert response.status_code == 201
    body = response.json()
    assert uuid.UUID(body["id"])
    assert body["email"] == "ada.lovelace@example.com"
    assert body["display_name"] == "Ada"
    assert body["roles"] == []
    assert body["is_active"] is True
    assert body["created_at"].endswith(("Z", "+00:00"))
    assert not {"password", "password_hash"} & set(body)


async def test_closed_registration_is_refused(users_app, mosaic_client):
    client = await mosaic_client(await users_app(registration_enabled=False))

    response = await client.post(
        "/api/v1/users", json={"email": "a@example.com", "password": PASSWORD}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "users.registration_closed"


@pytest.mark.parametrize("again", ["ada@example.com", "ADA@Example.com", " ada@EXAMPLE.COM"])
async def test_an_email_is_taken_whatever_its_case(client, register, again):
    await register("Ada@example.com")

    response = await client.post("/api/v1/users", json={"email": again, "password": PASSWORD})

    assert response.status_code == 409
    assert response.json()["code"] == "users.email_taken"


@pytest.mark.parametrize(
    "extra",
    [
        {"roles": ["admin"]},
        {"is_active": False},
        {"id": "00000000-0000-0000-0000-000000000001"},
        {"password_hash": "$argon2id$..."},
    ],
)
async def test_a_client_cannot_set_what_it_does_not_own(client, extra):
    body = {"email": "eve@example.com", "password": PASSWORD, **extra}

    response = await client.post("/api/v1/users", json=body)

    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "extra_forbidden"
    assert response.json()["errors"][0]["pointer"] == f"/{next(iter(extra))}"


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not-an-email", "password": PASSWORD},
        {"email": "a@example.com", "password": "short"},
        {"email": "a@example.com", "password": "x" * 129},
        {"email": "a@example.com", "password": PASSWORD, "display_name": "x" * 101},
        {"email": "a@example.com", "password": PASSWORD, "display_name": ""},
        {"email": "a@example.com", "password": PASSWORD, "display_name": "A\x00da"},
        {"email": "a\x00da@example.com", "password": PASSWORD},
        {"email": "Ada <ada@example.com>", "password": PASSWORD},
        {"email": "ada@example..com", "password": PASSWORD},
        {"email": "a@example.com"},
    ],
)
async def test_invalid_registrations_are_refused(client, body):
    response = await client.post("/api/v1/users", json=body)

    assert response.status_code == 422
    assert response.json()["code"] == "core.validation_failed"


@pytest.mark.parametrize(
    "email",
    [
        "x@1e100.test",
        "Ops@Intranet.LOCAL",
        "root@localhost",
        "nobody@example.invalid",
        "hidden@service.onion",
        "router@home.arpa",
        "admin@intranet",
    ],
)
async def test_any_syntactically_valid_address_is_accepted(client, email):
    # `format: email` promises nothing more: no domain is looked up, none is refused as special.
    response = await client.post("/api/v1/users", json={"email": email, "password": PASSWORD})

    assert response.status_code == 201, response.text
    assert response.json()["email"] == email.lower()


async def test_the_longest_password_is_accepted(client):
    response = await client.post(
        "/api/v1/users", json={"email": "long@example.com", "password": "p" * 128}
    )

    assert response.status_code == 201


async def test_a_huge_password_is_refused_before_any_hashing(client, monkeypatch):
    async def no_hashing(*_args, **_kwargs):
        raise AssertionError("a refused password must not be hashed")

    monkeypatch.setattr(Passwords, "hash", no_hashing)
    monkeypatch.setattr(Passwords, "verify", no_hashing)

    response = await client.post(
        "/api/v1/users", json={"email": "huge@example.com", "password": "p" * 1_000_000}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "string_too_long"
