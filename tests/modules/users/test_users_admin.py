"""Administration of every account: listing, reading, updating and deleting (``users:admin``)."""

from __future__ import annotations

import uuid

import pytest

from core.testing.kernel import kernel_of
from core.testing.statements import count_statements
from tests.openapi_schemas import body_accepts

ADMIN = "users:admin"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/users"),
        ("PATCH", "/api/v1/users/{id}"),
        ("DELETE", "/api/v1/users/{id}"),
    ],
)
async def test_admin_routes_need_a_token_and_the_permission(client, register, bearer, method, path):
    account = await register()
    url = path.format(id=account["id"])
    json = {"display_name": "x"} if method == "PATCH" else None

    anonymous = await client.request(method, url, json=json)
    without = await client.request(method, url, json=json, headers=await bearer(account["id"]))

    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    assert without.status_code == 403
    assert 'error="insufficient_scope"' in without.headers["WWW-Authenticate"]
    assert without.json()["code"] == "core.insufficient_scope"


async def test_another_users_account_answers_404_as_if_absent(client, register, bearer):
    mine = await register("mine@example.com")
    theirs = await register("theirs@example.com")
    headers = await bearer(mine["id"])

    own = await client.get(f"/api/v1/users/{mine['id']}", headers=headers)
    other = await client.get(f"/api/v1/users/{theirs['id']}", headers=headers)
    absent = await client.get("/api/v1/users/00000000-0000-4000-8000-000000000000", headers=headers)

    assert own.status_code == 200
    assert own.json() == mine
    assert other.status_code == absent.status_code == 404
    assert other.json()["code"] == absent.json()["code"] == "users.user_not_found"
    assert other.json()["title"] == absent.json()["title"]


async def test_reading_an_account_needs_a_token(client, register):
    account = await register()

    response = await client.get(f"/api/v1/users/{account['id']}")

    assert response.status_code == 401


async def test_read_an_account(client, register, admin):
    account = await register()

    response = await client.get(f"/api/v1/users/{account['id']}", headers=admin)

    assert response.status_code == 200
    assert response.json() == account


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_an_unknown_id_is_not_found(client, admin, method):
    json = {"display_name": "x"} if method == "PATCH" else None

    response = await client.request(
        method, f"/api/v1/users/{uuid.uuid4()}", headers=admin, json=json
    )

    assert response.status_code == 404
    assert response.json()["code"] == "users.user_not_found"


async def test_an_id_that_is_not_a_uuid_is_refused(client, admin):
    response = await client.get("/api/v1/users/42", headers=admin)

    assert response.status_code == 422


async def test_set_roles_and_display_name(client, register, admin, credential_changes):
    account = await register()

    response = await client.patch(
        f"/api/v1/users/{account['id']}",
        headers=admin,
        json={"roles": ["admin", "admin"], "display_name": "Root"},
    )

    assert response.status_code == 200
    assert response.json()["roles"] == ["admin"]
    assert response.json()["display_name"] == "Root"
    assert response.json()["is_active"] is True
    assert credential_changes == []


async def test_only_roles_the_kernel_knows_can_be_set(client, register, admin):
    account = await register()

    response = await client.patch(
        f"/api/v1/users/{account['id']}", headers=admin, json={"roles": ["admin", "wizard"]}
    )

    assert response.status_code == 422
    assert response.json()["code"] == "users.unknown_role"
    assert "wizard" in response.json()["detail"]
    assert (await client.get(f"/api/v1/users/{account['id']}", headers=admin)).json()["roles"] == []


@pytest.mark.parametrize(
    "body",
    [{"id": str(uuid.uuid4())}, {"email": "x@example.com"}, {"roles": None}, {"is_active": None}],
)
async def test_fields_an_admin_may_not_set_are_refused(client, register, admin, body):
    account = await register()

    response = await client.patch(f"/api/v1/users/{account['id']}", headers=admin, json=body)

    assert response.status_code == 422


@pytest.mark.parametrize("value", [0, 1, "false", "true", "no", None])
async def test_is_active_is_a_json_boolean_as_the_schema_says(client, register, admin, value):
    account = await register()
    accepts = body_accepts(
        (await client.get("/openapi.json")).json(), "PATCH", "/api/v1/users/{user_id}"
    )

    response = await client.patch(
        f"/api/v1/users/{account['id']}", headers=admin, json={"is_active": value}
    )

    assert not accepts({"is_active": value})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/is_active"
    assert (await client.get(f"/api/v1/users/{account['id']}", headers=admin)).json()["is_active"]


async def test_deactivating_ends_every_session_once(client, register, admin, credential_changes):
    account = await register()
    url = f"/api/v1/users/{account['id']}"

    first = await client.patch(url, headers=admin, json={"is_active": False})
    again = await client.patch(url, headers=admin, json={"is_active": False})
    back = await client.patch(url, headers=admin, json={"is_active": True})

    assert first.status_code == again.status_code == back.status_code == 200
    assert first.json()["is_active"] is False
    assert back.json()["is_active"] is True
    assert credential_changes == [(uuid.UUID(account["id"]), None)]


async def test_deleting_ends_every_session_and_removes_the_account(
    client, register, admin, credential_changes
):
    account = await register()
    url = f"/api/v1/users/{account['id']}"

    response = await client.delete(url, headers=admin)

    assert response.status_code == 204
    assert credential_changes == [(uuid.UUID(account["id"]), None)]
    assert (await client.get(url, headers=admin)).status_code == 404
    again = await client.post(
        "/api/v1/users", json={"email": account["email"], "password": "a new beginning"}
    )
    assert again.status_code == 201


@pytest.fixture
async def people(client, register, admin):
    """Five accounts, oldest first: two admins, one of them inactive."""
    created = []
    for name in ("ada", "grace", "alan", "edsger", "barbara"):
        created.append(await register(f"{name}@{'Example' if name != 'alan' else 'turing'}.com"))
    for index in (1, 3):
        await client.patch(
            f"/api/v1/users/{created[index]['id']}", headers=admin, json={"roles": ["admin"]}
        )
    await client.patch(
        f"/api/v1/users/{created[3]['id']}", headers=admin, json={"is_active": False}
    )
    return [account["email"] for account in created]


async def _emails(client, admin, **params):
    response = await client.get("/api/v1/users", headers=admin, params=params)
    assert response.status_code == 200, response.text
    return [account["email"] for account in response.json()["items"]]


async def test_list_filters(client, admin, people):
    assert await _emails(client, admin) == people
    assert await _emails(client, admin, email="EXAMPLE") == [e for e in people if "turing" not in e]
    assert await _emails(client, admin, email="a@") == ["ada@example.com", "barbara@example.com"]
    assert await _emails(client, admin, role="admin") == ["grace@example.com", "edsger@example.com"]
    assert await _emails(client, admin, role="adm") == []
    assert await _emails(client, admin, is_active="false") == ["edsger@example.com"]
    assert await _emails(client, admin, role="admin", is_active="true") == ["grace@example.com"]


@pytest.mark.parametrize("wildcard", ["%", "_", "\\"])
async def test_email_filter_takes_wildcards_literally(client, admin, people, wildcard):
    assert await _emails(client, admin, email=wildcard) == []


@pytest.fixture
async def paged(users_app, mosaic_client, mosaic_token):
    """An app whose pages hold at most 2 accounts, with 5 accounts, and an admin's headers."""
    app = await users_app(max_page_size=2)
    client = await mosaic_client(app)
    for index in range(5):
        await client.post(
            "/api/v1/users",
            json={"email": f"user{index}@example.com", "password": "correct horse"},
        )
    token = await mosaic_token(app, ADMIN, subject=str(uuid.uuid4()))
    return app, client, {"Authorization": f"Bearer {token}"}


async def test_pages_follow_the_cursor_in_one_statement_each(paged):
    app, client, headers = paged

    seen, cursor, sizes = [], None, []
    while True:
        params: dict[str, str] = {"cursor": cursor} if cursor else {}
        with count_statements(kernel_of(app).database.engine) as statements:
            response = await client.get("/api/v1/users", params=params, headers=headers)
        assert response.status_code == 200
        assert len(statements) == 1, statements
        page = response.json()
        sizes.append(len(page["items"]))
        seen += [account["email"] for account in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break

    assert sizes == [2, 2, 1]  # without a limit, the default follows the lower maximum
    assert seen == [f"user{index}@example.com" for index in range(5)]


@pytest.mark.parametrize("limit", [1, 2])
async def test_a_page_is_one_statement_whatever_its_size(paged, limit):
    app, client, headers = paged

    with count_statements(kernel_of(app).database.engine) as statements:
        response = await client.get("/api/v1/users", params={"limit": limit}, headers=headers)

    assert len(response.json()["items"]) == limit
    assert len(statements) == 1, statements


async def test_a_limit_above_the_configured_maximum_is_refused_not_capped(paged):
    _, client, headers = paged

    response = await client.get("/api/v1/users", params={"limit": 3}, headers=headers)

    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "core.validation_failed"
    assert problem["errors"][0]["pointer"] == "/limit"
    assert "2" in problem["errors"][0]["message"]


@pytest.mark.parametrize("limit", [0, -1, 1001, "many", " 2", "1_0"])
async def test_a_limit_out_of_bounds_is_refused(paged, limit):
    _, client, headers = paged

    response = await client.get("/api/v1/users", params={"limit": limit}, headers=headers)

    assert response.status_code == 422


@pytest.mark.parametrize(
    ("cursor", "status", "code"),
    [
        ("garbage", 400, "core.invalid_cursor"),
        ("W10", 400, "core.invalid_cursor"),  # []
        ("WyJ5ZXN0ZXJkYXkiLCAiMTIzIl0", 400, "core.invalid_cursor"),  # ["yesterday", "123"]
        ("x" * 201, 422, "core.validation_failed"),
        ("", 422, "core.validation_failed"),
        ("W10=", 422, "core.validation_failed"),  # padded: never issued so
        ("not a cursor", 422, "core.validation_failed"),
    ],
)
async def test_a_cursor_we_did_not_issue_is_refused(paged, cursor, status, code):
    _, client, headers = paged

    response = await client.get("/api/v1/users", params={"cursor": cursor}, headers=headers)

    assert response.status_code == status
    assert response.json()["code"] == code


async def test_the_listing_documents_a_refused_cursor_as_a_400(client):
    operation = (await client.get("/openapi.json")).json()["paths"]["/api/v1/users"]["get"]

    assert "core.invalid_cursor" in operation["responses"]["400"]["description"]
    assert "core.invalid_cursor" not in operation["responses"]["422"]["description"]


@pytest.mark.parametrize("params", [{"email": "ada\x00"}, {"role": "admin\x00"}])
async def test_a_filter_holding_nul_is_refused(paged, params):
    _, client, headers = paged

    response = await client.get("/api/v1/users", params=params, headers=headers)

    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == f"/{next(iter(params))}"
