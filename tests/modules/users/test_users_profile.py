"""The caller's own account: GET and PATCH /api/v1/users/me."""

from __future__ import annotations

import uuid

import pytest

from core.testing.kernel import kernel_of
from core.testing.statements import count_statements

PASSWORD = "correct horse battery"


@pytest.fixture
async def ada(register, bearer):
    """Ada's account, and the headers of a token for her."""
    account = await register("ada@example.com", display_name="Ada")
    return account, await bearer(account["id"])


async def test_me_is_the_callers_account(client, ada):
    account, headers = ada

    response = await client.get("/api/v1/users/me", headers=headers)

    assert response.status_code == 200
    assert response.json() == account


async def test_me_needs_a_token(client):
    response = await client.get("/api/v1/users/me")

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("subject", ["not-a-uuid", "4d02eb88-0d52-4180-9f3a-9436146d3192"])
async def test_me_of_a_token_without_account_is_not_found(client, bearer, subject):
    response = await client.get("/api/v1/users/me", headers=await bearer(subject))

    assert response.status_code == 404
    assert response.json()["code"] == "users.user_not_found"


async def test_me_is_one_statement(app, client, ada):
    _, headers = ada

    with count_statements(kernel_of(app).database.engine) as statements:
        response = await client.get("/api/v1/users/me", headers=headers)

    assert response.status_code == 200
    assert len(statements) == 1, statements


async def test_update_display_name_and_email(client, ada):
    account, headers = ada

    response = await client.patch(
        "/api/v1/users/me",
        headers=headers,
        json={"display_name": "Countess", "email": " Countess@Example.com"},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["display_name"] == "Countess"
    assert body["email"] == "countess@example.com"
    assert body["updated_at"] >= account["updated_at"]
    assert (await client.get("/api/v1/users/me", headers=headers)).json() == body


async def test_leaving_fields_out_keeps_them_and_null_clears_the_display_name(client, ada):
    account, headers = ada

    kept = await client.patch("/api/v1/users/me", headers=headers, json={})
    cleared = await client.patch("/api/v1/users/me", headers=headers, json={"display_name": None})

    assert kept.json()["display_name"] == "Ada"
    assert cleared.json()["display_name"] is None
    assert cleared.json()["email"] == account["email"]


async def test_new_email_must_be_free_whatever_its_case(client, register, ada):
    await register("grace@example.com")
    _, headers = ada

    taken = await client.patch(
        "/api/v1/users/me", headers=headers, json={"email": "GRACE@example.com"}
    )
    own = await client.patch("/api/v1/users/me", headers=headers, json={"email": "ADA@example.com"})

    assert taken.status_code == 409
    assert taken.json()["code"] == "users.email_taken"
    assert own.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"roles": ["admin"]},
        {"is_active": True},
        {"id": str(uuid.uuid4())},
        {"password": "a new password"},
        {"email": None},
        {"display_name": "x" * 101},
    ],
)
async def test_a_caller_cannot_change_what_it_does_not_own(client, ada, body):
    _, headers = ada

    response = await client.patch("/api/v1/users/me", headers=headers, json=body)

    assert response.status_code == 422
    me = (await client.get("/api/v1/users/me", headers=headers)).json()
    assert me["roles"] == [] and me["is_active"] is True


async def test_a_deactivated_account_is_not_found(client, ada, admin):
    account, headers = ada
    await client.patch(f"/api/v1/users/{account['id']}", headers=admin, json={"is_active": False})

    response = await client.get("/api/v1/users/me", headers=headers)

    assert response.status_code == 404
