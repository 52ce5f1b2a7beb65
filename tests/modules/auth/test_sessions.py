"""Refresh rotation, replay detection, logout, password change and account state end sessions."""

from __future__ import annotations

from core.testing.kernel import kernel_of
from core.testing.statements import count_statements
from tests.modules.auth.conftest import PASSWORD, Login, login, me, refresh, register


async def test_refresh_rotates_the_pair(client):
    await register(client, "rotate@example.com")
    first = await login(client, "rotate@example.com")

    response = await refresh(client, first.refresh)

    assert response.status_code == 200
    second = response.json()
    assert second["refresh_token"] != first.refresh
    assert second["access_token"] != first.access
    assert response.headers["cache-control"] == "no-store"
    assert (await me(client, second["access_token"])).status_code == 200


async def test_replayed_refresh_token_revokes_the_whole_session(client):
    await register(client, "replay@example.com")
    first = await login(client, "replay@example.com")
    second = (await refresh(client, first.refresh)).json()

    replay = await refresh(client, first.refresh)

    assert replay.status_code == 400
    assert replay.json()["code"] == "auth.refresh_token_reused"
    assert replay.json()["error"] == "invalid_grant"
    # The legitimate holder's newer tokens die with the session.
    assert (await refresh(client, second["refresh_token"])).status_code == 400
    assert (await me(client, second["access_token"])).status_code == 401
    assert (await me(client, first.access)).status_code == 401


async def test_replay_does_not_touch_other_sessions(client):
    await register(client, "two@example.com")
    laptop = await login(client, "two@example.com")
    phone = await login(client, "two@example.com")
    await refresh(client, laptop.refresh)

    await refresh(client, laptop.refresh)

    assert (await me(client, phone.access)).status_code == 200


async def test_refresh_grant_on_the_token_endpoint(client):
    await register(client, "grant@example.com")
    first = await login(client, "grant@example.com")

    response = await client.post(
        "/api/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": first.refresh}
    )

    assert response.status_code == 200
    assert response.json()["token_type"] == "bearer"


async def test_logout_revokes_access_and_refresh(client):
    await register(client, "bye@example.com")
    session = await login(client, "bye@example.com")

    response = await client.post("/api/v1/auth/logout", headers=session.headers)

    assert response.status_code == 204
    assert (await me(client, session.access)).status_code == 401
    assert (await refresh(client, session.refresh)).status_code == 400


async def test_logout_needs_a_token(client):
    response = await client.post("/api/v1/auth/logout")

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_password_change_ends_every_other_session(client):
    await register(client, "change@example.com")
    current = await login(client, "change@example.com")
    other = await login(client, "change@example.com")

    response = await client.post(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        headers=current.headers,
    )

    assert response.status_code == 204
    assert (await me(client, other.access)).status_code == 401
    assert (await refresh(client, other.refresh)).status_code == 400
    assert (await me(client, current.access)).status_code == 200
    assert (await login(client, "change@example.com", "a brand new passphrase")).access


async def _admin(app, client, mosaic_token):
    admin_id = await register(client, "root@example.com")
    return {"Authorization": f"Bearer {await mosaic_token(app, 'users:admin', subject=admin_id)}"}


async def _signed_in_admin(app, client, email: str) -> Login:
    """Registers ``email``, gives it the ``admin`` role and logs it in."""
    from sqlalchemy import text

    await register(client, email)
    async with kernel_of(app).database.unit_of_work() as uow:
        await uow.session.execute(
            text("UPDATE users_users SET roles = :roles WHERE email = :email"),
            {"roles": '["admin"]', "email": email},
        )
    return await login(client, email)


async def test_deactivated_user_tokens_fail(app, client):
    user_id = await register(client, "gone@example.com")
    session = await login(client, "gone@example.com")
    admin = await _signed_in_admin(app, client, "root@example.com")

    response = await client.patch(
        f"/api/v1/users/{user_id}", json={"is_active": False}, headers=admin.headers
    )

    assert response.status_code == 200, response.text
    assert (await me(client, session.access)).status_code == 401
    assert (await refresh(client, session.refresh)).status_code == 400


async def test_deleted_user_tokens_fail(app, client):
    user_id = await register(client, "deleted@example.com")
    session = await login(client, "deleted@example.com")
    admin = await _signed_in_admin(app, client, "root@example.com")

    response = await client.delete(f"/api/v1/users/{user_id}", headers=admin.headers)

    assert response.status_code == 204
    assert (await me(client, session.access)).status_code == 401
    assert (await refresh(client, session.refresh)).status_code == 400


async def test_permissions_follow_roles_and_the_token_scope(app, client):
    full = await _signed_in_admin(app, client, "boss@example.com")
    narrowed = await client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "password",
            "username": "boss@example.com",
            "password": PASSWORD,
            "scope": "nothing:real",
        },
    )

    assert "users:admin" in full.scope.split()
    assert (await client.get("/api/v1/users", headers=full.headers)).status_code == 200
    assert narrowed.json()["scope"] == ""
    narrowed_headers = {"Authorization": f"Bearer {narrowed.json()['access_token']}"}
    assert (await client.get("/api/v1/users", headers=narrowed_headers)).status_code == 403


async def test_a_token_check_costs_two_statements_whatever_the_route_reads(app, client):
    await register(client, "grace@example.com")
    pair = await login(client, "grace@example.com")

    with count_statements(kernel_of(app).database.engine) as statements:
        response = await me(client, pair.access)

    assert response.status_code == 200
    # The session, then the account; the route reads the account the check already loaded.
    assert len(statements) == 2, statements
    assert "auth_sessions" in statements.statements[0]
    assert "users_users" in statements.statements[1]
