"""Signing in at a real provider on the loopback: the whole redirect dance, and which account
a sign-in reaches."""

from __future__ import annotations

import uuid

from core.testing.kernel import kernel_of
from core.testing.statements import count_statements
from tests.modules.auth.conftest import PASSWORD
from tests.modules.oidc.conftest import me, sign_in, start
from tests.modules.oidc.rows import rows, verified_account


def _problem(dance) -> tuple[int, str]:
    return dance.callback.status_code, dance.callback.json().get("code", "")


async def test_a_first_sign_in_opens_an_account_and_answers_a_token_pair(app, client, provider):
    dance = await sign_in(client)

    assert dance.callback.status_code == 200, dance.callback.text
    body = dance.callback.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token", "scope"}
    assert body["token_type"] == "bearer"
    assert dance.callback.headers["cache-control"] == "no-store"
    profile = (await me(client, body["access_token"])).json()
    assert (profile["email"], profile["email_verified"]) == ("ada@example.com", True)
    assert profile["display_name"] == "Ada Lovelace"
    [link] = await rows(app, "oidc_links")
    assert (link["provider"], link["subject"], str(uuid.UUID(str(link["user_id"])))) == (
        "acme",
        "subject-1",
        profile["id"],
    )
    # The refresh token rotates like a password login's.
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": body["refresh_token"]}
    )
    assert refreshed.status_code == 200


async def test_the_provider_saw_pkce_state_and_nonce(client, provider):
    dance = await sign_in(client)

    [asked] = provider.authorize_requests
    assert asked["code_challenge_method"] == "S256"
    assert asked["redirect_uri"] == "http://testserver/api/v1/oidc/acme/callback"
    assert asked["scope"].split() == ["openid", "email", "profile"]
    assert dance.returned["state"] == asked["state"]
    [exchanged] = provider.token_requests
    assert len(exchanged["code_verifier"]) >= 43
    assert dance.callback.status_code == 200


async def test_an_account_opened_by_a_sign_in_has_no_usable_password(client, provider):
    await sign_in(client)

    login = await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": "ada@example.com", "password": PASSWORD},
    )
    assert login.status_code == 400
    assert login.json()["code"] == "auth.invalid_grant"


async def test_a_verified_email_links_to_the_verified_account_that_has_it(app, client, provider):
    account = await verified_account(app, "ada@example.com")

    dance = await sign_in(client)

    assert dance.callback.status_code == 200, dance.callback.text
    assert (await me(client, dance.callback.json()["access_token"])).json()["id"] == account
    assert [str(uuid.UUID(str(link["user_id"]))) for link in await rows(app, "oidc_links")] == [
        account
    ]
    assert len(await rows(app, "users_users")) == 1


async def test_a_second_sign_in_finds_the_account_by_subject_not_email(app, client, provider):
    first = await sign_in(client)
    provider.user = {**provider.user, "email": "ada@elsewhere.example", "email_verified": False}

    second = await sign_in(client)

    assert second.callback.status_code == 200, second.callback.text
    ids = [
        (await me(client, dance.callback.json()["access_token"])).json()["id"]
        for dance in (first, second)
    ]
    assert ids[0] == ids[1]
    assert len(await rows(app, "users_users")) == 1
    assert len(await rows(app, "oidc_links")) == 1


async def test_another_subject_with_the_same_verified_email_links_to_the_same_account(
    app, client, provider
):
    await sign_in(client)
    provider.user = {**provider.user, "sub": "subject-2"}

    dance = await sign_in(client)

    assert dance.callback.status_code == 200
    assert len(await rows(app, "users_users")) == 1
    assert sorted(str(link["subject"]) for link in await rows(app, "oidc_links")) == [
        "subject-1",
        "subject-2",
    ]


async def test_an_unverified_email_is_not_linked_to_the_account_that_has_it(app, client, provider):
    await verified_account(app, "ada@example.com")
    provider.user = {**provider.user, "email_verified": False}

    dance = await sign_in(client)

    assert _problem(dance) == (409, "oidc.email_not_verified")
    assert dance.callback.headers["content-type"] == "application/problem+json"
    assert await rows(app, "oidc_links") == []
    assert await rows(app, "auth_sessions") == []


async def test_a_verified_email_is_not_linked_to_an_account_that_never_verified_it(
    app, client, provider
):
    # Whoever registered first may not own the address: linking would hand them the account.
    created = await client.post(
        "/api/v1/users", json={"email": "ada@example.com", "password": PASSWORD}
    )
    assert created.status_code == 201

    dance = await sign_in(client)

    assert _problem(dance) == (409, "oidc.account_not_verified")
    assert await rows(app, "oidc_links") == []


async def test_an_unverified_email_opens_an_unverified_account(client, provider):
    provider.user = {**provider.user, "email_verified": "true"}  # a string is not the claim

    dance = await sign_in(client)

    assert dance.callback.status_code == 200
    profile = (await me(client, dance.callback.json()["access_token"])).json()
    assert profile["email_verified"] is False


async def test_no_email_no_account(app, client, provider):
    provider.user = {"sub": "subject-1"}

    dance = await sign_in(client)

    assert _problem(dance) == (403, "oidc.email_missing")
    assert await rows(app, "users_users") == []


async def test_a_deployment_closed_to_registration_opens_no_account(
    oidc_app, mosaic_client, provider
):
    app = await oidc_app(users={"registration_enabled": False})
    client = await mosaic_client(app)

    dance = await sign_in(client)

    assert _problem(dance) == (403, "users.registration_closed")
    assert await rows(app, "users_users") == []


async def test_a_deactivated_account_cannot_sign_in(app, client, provider):
    await sign_in(client)
    await _deactivate_everyone(app)

    dance = await sign_in(client)

    assert _problem(dance) == (403, "oidc.account_inactive")


async def _deactivate_everyone(app) -> None:
    from tests.modules.oidc.rows import execute

    await execute(app, "UPDATE users_users SET is_active = :no", no=False)


async def test_the_providers_are_listed_with_their_login_urls(oidc_app, mosaic_client, provider):
    app = await oidc_app(
        providers={
            "acme": {"issuer": provider.issuer, "client_id": "x", "display_name": "Acme ID"},
            "beta": {"issuer": provider.issuer, "client_id": "y"},
        },
        providers__beta__client_secret="another secret",
    )
    client = await mosaic_client(app)

    listed = await client.get("/api/v1/oidc/providers")

    assert listed.status_code == 200
    assert listed.json() == [
        {"name": "acme", "display_name": "Acme ID", "login_url": "/api/v1/oidc/acme/login"},
        {"name": "beta", "display_name": "beta", "login_url": "/api/v1/oidc/beta/login"},
    ]


async def test_no_provider_configured_lists_none(mosaic_app, mosaic_client):
    from tests.modules.oidc.conftest import PLUGINS

    app = await mosaic_app(PLUGINS)
    client = await mosaic_client(app)

    assert (await client.get("/api/v1/oidc/providers")).json() == []
    missing = await client.get("/api/v1/oidc/acme/login")
    assert (missing.status_code, missing.json()["code"]) == (404, "oidc.provider_not_found")


async def test_a_returning_sign_in_costs_a_fixed_number_of_statements(app, client, provider):
    await sign_in(client)
    started = await start(client)

    with count_statements(kernel_of(app).database.engine) as statements:
        answer = await client.get(started.callback_url)

    assert answer.status_code == 200
    # Spend the state; find the link, the account, update the link's time, open the session.
    writes_and_reads = [
        s for s in statements.statements if not s.startswith(("BEGIN", "SAVEPOINT"))
    ]
    assert len(writes_and_reads) == 5, statements


async def test_a_deployment_requiring_verified_emails_refuses_an_unverified_one(
    oidc_app, mosaic_client, provider
):
    app = await oidc_app(users={"require_verified_email": True})
    client = await mosaic_client(app)
    provider.user = {**provider.user, "email_verified": False}

    dance = await sign_in(client)

    assert _problem(dance) == (403, "users.email_not_verified")
    assert await rows(app, "users_users") == []
    assert await rows(app, "auth_sessions") == []
