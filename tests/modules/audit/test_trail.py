"""The audit trail: every committed event, who caused it, when and from which request."""

from __future__ import annotations

import pytest

from core.testing.kernel import kernel_of
from core.testing.statements import count_statements
from modules.audit import plugin as audit_plugin
from modules.auth import plugin as auth_plugin
from modules.users import plugin as users_plugin
from tests.modules.audit.conftest import ENTRIES
from tests.modules.auth.conftest import FAST_HASHING, PASSWORD, login, register


@pytest.fixture
async def app(mosaic_app):
    plugins = {"users": users_plugin, "auth": auth_plugin, "audit": audit_plugin}
    return await mosaic_app(plugins, settings={"users": FAST_HASHING})


async def _change_password(client, email, request_id):
    user_id = await register(client, email)
    session = await login(client, email)
    response = await client.post(
        "/api/v1/users/me/password",
        headers={**session.headers, "X-Request-ID": request_id},
        json={"current_password": PASSWORD, "new_password": "an entirely new one"},
    )
    assert response.status_code == 204
    return user_id


async def test_a_committed_event_is_recorded_with_actor_and_request(
    app, client, auditor, deliver_events
):
    user_id = await _change_password(client, "ada@example.com", "req-ada-1")

    await deliver_events(app)
    page = (await client.get(ENTRIES, headers=auditor)).json()

    [entry] = page["items"]
    assert entry["event_type"] == "users.password_changed.v1"
    assert entry["module"] == "users"
    assert entry["actor"] == user_id
    assert entry["request_id"] == "req-ada-1"
    assert entry["payload"]["user_id"] == user_id
    assert page["next"] is None


async def test_a_rejected_request_leaves_no_entry(app, client, auditor, deliver_events):
    await register(client, "bob@example.com")
    session = await login(client, "bob@example.com")
    refused = await client.post(
        "/api/v1/users/me/password",
        headers=session.headers,
        json={"current_password": "not the password", "new_password": "an entirely new one"},
    )

    await deliver_events(app)

    assert refused.status_code == 422
    assert (await client.get(ENTRIES, headers=auditor)).json()["items"] == []


async def test_filters_and_pages_newest_first_in_constant_statements(
    app, client, auditor, deliver_events
):
    ids = [await _change_password(client, f"u{i}@example.com", f"req-{i}") for i in range(5)]
    await deliver_events(app)

    seen, cursor = [], None
    engine = kernel_of(app).database.engine
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        with count_statements(engine) as statements:
            page = (await client.get(ENTRIES, headers=auditor, params=params)).json()
        assert len(statements) <= 3  # token check (2) and the page
        seen += [entry["actor"] for entry in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    one = await client.get(ENTRIES, headers=auditor, params={"actor": ids[2]})
    typed = await client.get(ENTRIES, headers=auditor, params={"type": "users.deleted.v1"})
    later = await client.get(ENTRIES, headers=auditor, params={"since": "2999-01-01T00:00:00Z"})

    assert seen == list(reversed(ids))
    assert [entry["actor"] for entry in one.json()["items"]] == [ids[2]]
    assert typed.json()["items"] == []
    assert later.json()["items"] == []


async def test_a_redelivered_event_is_recorded_once(app, client, auditor, deliver_events):
    from sqlalchemy import update

    from core.events.models import Publication

    await _change_password(client, "carol@example.com", "req-c")
    await deliver_events(app)
    async with kernel_of(app).database.unit_of_work() as uow:  # as if never completed
        await uow.session.execute(update(Publication).values(completed_at=None))
    await deliver_events(app)

    assert len((await client.get(ENTRIES, headers=auditor)).json()["items"]) == 1


async def test_reading_needs_the_permission(client):
    await register(client, "plain@example.com")
    plain = (await login(client, "plain@example.com")).headers

    assert (await client.get(ENTRIES)).status_code == 401
    assert (await client.get(ENTRIES, headers=plain)).status_code == 403


async def test_a_forged_cursor_is_refused(client, auditor):
    response = await client.get(ENTRIES, headers=auditor, params={"cursor": "bm9wZQ"})

    assert response.status_code == 400
    assert response.json()["code"] == "core.invalid_cursor"


async def test_entries_cannot_be_changed_through_the_api(client, auditor):
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert (await client.request(method, ENTRIES, headers=auditor)).status_code == 405
