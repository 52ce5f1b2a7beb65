"""The last active administrator cannot demote, deactivate or delete themselves.

The attack (a fuzzer's): an administrator removed their own admin role and the deployment was
left with nobody able to administer accounts. Two administrators demoting each other at once
must not get there either.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import text

from core.testing.kernel import kernel_of
from tests.modules.auth.conftest import login, register


async def _administrator(app, client, email):
    user_id = await register(client, email)
    async with kernel_of(app).database.unit_of_work() as uow:
        await uow.session.execute(
            text("UPDATE users_users SET roles = :roles WHERE email = :email"),
            {"roles": '["admin"]', "email": email},
        )
    return user_id, (await login(client, email)).headers


async def _active_administrators(app):
    async with kernel_of(app).database.unit_of_work() as uow:
        rows = await uow.session.execute(text("SELECT roles, is_active FROM users_users"))
        return sum(1 for roles, active in rows if "admin" in str(roles) and active)


@pytest.mark.parametrize(
    ("method", "body"),
    [("PATCH", {"roles": []}), ("PATCH", {"is_active": False}), ("DELETE", None)],
)
async def test_the_last_administrator_cannot_remove_themselves(app, client, method, body):
    user_id, headers = await _administrator(app, client, "root@example.com")

    response = await client.request(method, f"/api/v1/users/{user_id}", json=body, headers=headers)

    assert response.status_code == 409
    assert response.json()["code"] == "users.last_administrator"
    assert await _active_administrators(app) == 1


async def test_one_of_two_administrators_may_step_down(app, client):
    first, headers = await _administrator(app, client, "first@example.com")
    await _administrator(app, client, "second@example.com")

    response = await client.patch(f"/api/v1/users/{first}", json={"roles": []}, headers=headers)

    assert response.status_code == 200
    assert await _active_administrators(app) == 1


async def test_an_administrator_may_still_rename_themselves(app, client):
    user_id, headers = await _administrator(app, client, "only@example.com")

    response = await client.patch(
        f"/api/v1/users/{user_id}", json={"display_name": "Root"}, headers=headers
    )

    assert response.status_code == 200


@pytest.mark.parametrize("change", [{"roles": []}, {"is_active": False}])
async def test_two_administrators_removing_each_other_at_once_leave_one(app, client, change):
    first, first_headers = await _administrator(app, client, "a@example.com")
    second, second_headers = await _administrator(app, client, "b@example.com")

    responses = await asyncio.gather(
        client.patch(f"/api/v1/users/{second}", json=change, headers=first_headers),
        client.patch(f"/api/v1/users/{first}", json=change, headers=second_headers),
    )

    statuses = Counter(response.status_code for response in responses)
    assert await _active_administrators(app) == 1
    # The second request either found its caller already demoted (403/401) or was refused.
    assert statuses[200] == 1
    assert set(statuses) - {200} <= {401, 403, 409}
