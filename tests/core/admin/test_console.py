"""The admin console: sign-in with the service's accounts, permissions per module, edits through
the module's services with the API's effects, refused foreign form posts, and the System page."""

from __future__ import annotations

import asyncio
import json
from base64 import b64decode, b64encode
from http.cookies import SimpleCookie
from typing import Any

import httpx
import pytest
from itsdangerous import TimestampSigner

from core.admin.sign_in import session_key
from core.testing.kernel import kernel_of
from core.testing.statements import count_statements
from tests.core.admin.conftest import ORIGIN, PASSWORD, console_app, create_account, sign_in

PRODUCTS = "/admin/catalogue_products"


def _form(product: dict[str, Any], **changes: str) -> dict[str, str]:
    fields = {
        "name": product["name"],
        "description": product["description"],
        "price": product["price"],
        "stock": str(product["stock"]),
        "status": product["status"],
        # The version the form was opened at, as the page carries it (the ETag is "id.version").
        "version": product["etag"].strip('"').split(".")[1],
        "save": "Save",
    }
    return fields | changes


async def _submit_edit(
    client: httpx.AsyncClient, product: dict[str, Any], **changes: str
) -> httpx.Response:
    """Posts the product's edit form with ``changes``, from the console's own page."""
    return await client.post(
        f"{PRODUCTS}/edit/{product['id']}",
        data=_form(product, **changes),
        headers={"Origin": ORIGIN},
    )


async def test_sign_in_sets_a_hardened_session_cookie(app, client):
    await create_account(app, client, "ada@example.com", "admin")
    response = await sign_in(client, "ada@example.com")
    assert response.status_code == 302
    assert response.headers["location"].endswith("/admin/")
    header = response.headers["set-cookie"]
    cookie = SimpleCookie(header)["mosaic_admin"]
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() == "lax"
    assert cookie["path"] == "/admin"
    # Development over plain HTTP: Secure would keep the cookie from ever coming back.
    assert not cookie["secure"]
    page = await client.get("/admin/")
    assert page.status_code == 200
    assert f"{PRODUCTS}/list" in page.text


async def test_wrong_password_and_unknown_account_are_refused_alike(app, client):
    await create_account(app, client, "ada@example.com", "admin")
    wrong = await sign_in(client, "ada@example.com", "not the password")
    unknown = await sign_in(client, "nobody@example.com")
    assert wrong.status_code == unknown.status_code == 400
    assert "Invalid credentials." in wrong.text
    assert "mosaic_admin" not in wrong.headers.get("set-cookie", "")
    assert (await client.get("/admin/")).status_code == 302


async def test_failed_sign_ins_are_throttled_like_api_logins(app, client):
    """The console asks the token endpoint, so its per-account throttle counts console tries:
    after the account's allowance, even the right password is refused for a while."""
    await create_account(app, client, "ada@example.com", "admin")
    for _ in range(5):
        assert (await sign_in(client, "ada@example.com", "wrong password")).status_code == 400
    assert (await sign_in(client, "ada@example.com")).status_code == 400
    api = await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": "ada@example.com", "password": PASSWORD},
    )
    assert api.status_code == 429


async def test_signing_out_ends_the_session_for_every_copy_of_the_cookie(app, client, other_client):
    """Signing out revokes the session where its tokens were issued: a copy of the cookie taken
    before (a shared machine, a stolen cookie) no longer opens the console."""
    await create_account(app, client, "ada@example.com", "admin")
    assert (await sign_in(client, "ada@example.com")).status_code == 302
    other_client.cookies.set("mosaic_admin", client.cookies["mosaic_admin"], path="/admin")
    assert (await other_client.get("/admin/")).status_code == 200

    signed_out = await client.get("/admin/logout")
    assert signed_out.status_code == 302
    assert (await client.get("/admin/")).status_code == 302
    copied = await other_client.get("/admin/")
    assert copied.status_code == 302
    assert copied.headers["location"].endswith("/admin/login")


def _signer(app: Any) -> TimestampSigner:
    return TimestampSigner(session_key(kernel_of(app).settings.secret_key.get_secret_value()))


def _session(app: Any, cookie: str) -> dict[str, str]:
    """What the console cookie ``cookie`` holds."""
    session: dict[str, str] = json.loads(b64decode(_signer(app).unsign(cookie)))
    return session


def _with_expired_access(app: Any, cookie: str) -> str:
    """The console cookie ``cookie`` with its access token no longer valid (as once expired),
    and its refresh token kept: the next page must renew the pair."""
    session = _session(app, cookie) | {"access": "expired"}
    return _signer(app).sign(b64encode(json.dumps(session).encode())).decode()


async def test_an_expired_access_token_is_renewed_once_for_pages_asked_together(
    app, client, other_client
):
    """Pages asked at once with an expired access token share one renewal: presenting the same
    refresh token twice would look like a leak and end the session."""
    await create_account(app, client, "ada@example.com", "admin")
    assert (await sign_in(client, "ada@example.com")).status_code == 302
    stale = _with_expired_access(app, client.cookies["mosaic_admin"])
    other_client.cookies.set("mosaic_admin", stale, path="/admin")

    pages = await asyncio.gather(*(other_client.get("/admin/") for _ in range(4)))

    assert [page.status_code for page in pages] == [200] * 4
    renewed = [page.cookies["mosaic_admin"] for page in pages if "mosaic_admin" in page.cookies]
    assert len(renewed) == len(pages)
    assert len({_session(app, cookie)["refresh"] for cookie in renewed}) == 1  # one renewal
    other_client.cookies.set("mosaic_admin", renewed[0], path="/admin")
    assert (await other_client.get("/admin/")).status_code == 200
    # The session lives on: the original browser's page is still open too.
    assert (await client.get("/admin/")).status_code == 200


async def test_pages_need_a_session(client):
    for path in ("/admin/", f"{PRODUCTS}/list", "/admin/system", f"{PRODUCTS}/edit/1"):
        response = await client.get(path)
        assert response.status_code == 302, path
        assert response.headers["location"].endswith("/admin/login")


async def test_lists_and_searches_products(client, product):
    listing = await client.get(f"{PRODUCTS}/list")
    assert listing.status_code == 200
    assert "HAM-1" in listing.text
    found = await client.get(f"{PRODUCTS}/list", params={"search": "hamm"})
    missed = await client.get(f"{PRODUCTS}/list", params={"search": "saw"})
    assert "HAM-1" in found.text
    assert "HAM-1" not in missed.text


async def test_an_edit_goes_through_the_service_and_changes_the_etag(
    client, product, admin_headers
):
    url = f"/api/v1/catalogue/products/{product['id']}"
    response = await _submit_edit(client, product, name="Claw hammer", price="13.90")
    assert response.status_code == 302, response.text
    after = await client.get(url, headers=admin_headers)
    assert after.json()["name"] == "Claw hammer"
    assert after.json()["price"] == "13.90"
    assert after.headers["ETag"] != product["etag"]
    # The API's optimistic check sees the console's edit: the old ETag no longer matches.
    stale = await client.patch(
        url, json={"stock": 1}, headers=admin_headers | {"If-Match": product["etag"]}
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "catalogue.version_mismatch"


async def test_an_edit_announces_the_change_with_its_editor(
    client, product, admin_headers, published_events
):
    editor = (await client.get("/api/v1/users/me", headers=admin_headers)).json()["id"]
    before = len(published_events)

    response = await _submit_edit(client, product, name="Claw hammer", price="13.90")

    assert response.status_code == 302, response.text
    [changed] = published_events[before:]
    assert changed.type == "catalogue.product_changed.v1"
    assert published_events.payloads(changed.type) == [
        {"product_id": product["id"], "sku": "HAM-1", "fields": ["name", "price"]}
    ]
    assert changed.actor == editor


async def test_an_edit_the_api_refuses_is_refused_and_writes_nothing(
    client, product, admin_headers
):
    url = f"/api/v1/catalogue/products/{product['id']}"
    negative = await _submit_edit(client, product, stock="-4", name="Broken")
    unknown_status = await _submit_edit(client, product, status="gone", name="Broken")
    assert negative.status_code == unknown_status.status_code == 400
    assert "stock" in negative.text
    assert "status" in unknown_status.text
    for page in (negative.text, unknown_status.text):
        assert "SELECT" not in page and "Traceback" not in page
    after = await client.get(url, headers=admin_headers)
    assert after.json()["name"] == "Hammer"
    assert after.headers["ETag"] == product["etag"]


async def test_an_edit_from_a_stale_page_is_refused(client, product, admin_headers):
    url = f"/api/v1/catalogue/products/{product['id']}"
    page = await client.get(f"{PRODUCTS}/edit/{product['id']}")
    assert 'name="version" type="hidden"' in page.text
    changed = await client.patch(url, json={"stock": 9}, headers=admin_headers)
    assert changed.status_code == 200
    stale = await _submit_edit(client, product, name="Overwritten")
    assert stale.status_code == 400
    assert "changed since the page was opened" in stale.text
    after = await client.get(url, headers=admin_headers)
    assert after.json()["name"] == "Hammer"
    assert after.json()["stock"] == 9


async def test_a_form_from_another_site_is_refused(client, product, admin_headers):
    edit = f"{PRODUCTS}/edit/{product['id']}"
    for headers in ({}, {"Origin": "https://evil.example"}, {"Referer": "https://evil.example/x"}):
        response = await client.post(edit, data=_form(product, name="Pwned"), headers=headers)
        assert response.status_code == 403, headers
    same_site_referer = await client.post(
        edit, data=_form(product, name="Mallet"), headers={"Referer": f"{ORIGIN}/admin/x"}
    )
    assert same_site_referer.status_code == 302
    after = await client.get(f"/api/v1/catalogue/products/{product['id']}", headers=admin_headers)
    assert after.json()["name"] == "Mallet"


async def test_a_person_without_the_permission_is_refused(app, other_client, product):
    await create_account(app, other_client, "bob@example.com")
    assert (await sign_in(other_client, "bob@example.com")).status_code == 302
    home = await other_client.get("/admin/")
    assert home.status_code == 200
    assert f"{PRODUCTS}/list" not in home.text
    for path in (f"{PRODUCTS}/list", f"{PRODUCTS}/edit/{product['id']}", "/admin/system"):
        assert (await other_client.get(path)).status_code == 403, path
    edit = await other_client.post(
        f"{PRODUCTS}/edit/{product['id']}",
        data=_form(product, name="Pwned"),
        headers={"Origin": ORIGIN},
    )
    assert edit.status_code == 403


async def test_each_module_needs_its_own_permission(app, other_client):
    """A catalogue editor (role granting only catalogue:write) sees the catalogue, not accounts."""
    await create_account(app, other_client, "eve@example.com", "admin")
    kernel = kernel_of(app)
    kernel.roles = {**kernel.roles, "editor": frozenset({"catalogue:write"})}
    await create_account(app, other_client, "ed@example.com", "editor")
    assert (await sign_in(other_client, "ed@example.com")).status_code == 302
    assert (await other_client.get(f"{PRODUCTS}/list")).status_code == 200
    assert (await other_client.get("/admin/users_users/list")).status_code == 403
    assert (await other_client.get("/admin/system")).status_code == 403


async def test_a_revoked_role_takes_effect_at_once(app, client, product):
    from sqlalchemy import update

    from modules.users.models import User

    async with kernel_of(app).database.unit_of_work() as uow:
        await uow.session.execute(
            update(User).where(User.email == "ada@example.com").values(roles=[])
        )
    assert (await client.get(f"{PRODUCTS}/list")).status_code == 403


async def test_accounts_never_show_the_password_hash(client, admin_headers):
    listing = await client.get("/admin/users_users/list")
    assert listing.status_code == 200
    assert "ada@example.com" in listing.text
    me = await client.get("/api/v1/users/me", headers=admin_headers)
    details = await client.get(f"/admin/users_users/details/{me.json()['id']}")
    assert details.status_code == 200
    for page in (listing.text, details.text):
        assert "$argon2" not in page
        assert "Password Hash" not in page
    # Read-only: no edit form for accounts.
    assert (await client.get(f"/admin/users_users/edit/{me.json()['id']}")).status_code == 403


async def test_the_system_page(client, admin_headers):
    page = await client.get("/admin/system")
    assert page.status_code == 200
    for text in ("catalogue", "0.1.0", "catalogue_0001", "up to date", "users.email_taken"):
        assert text in page.text, text
    assert "publication(s) not yet delivered" in page.text


async def test_the_list_page_reads_a_fixed_number_of_statements(app, client, admin_headers):
    category = await client.post(
        "/api/v1/catalogue/categories", json={"slug": "c", "name": "C"}, headers=admin_headers
    )
    for number in range(30):
        body = {
            "sku": f"S-{number}",
            "slug": f"s-{number}",
            "name": f"Item {number}",
            "price": "1.00",
            "category_id": category.json()["id"],
        }
        created = await client.post("/api/v1/catalogue/products", json=body, headers=admin_headers)
        assert created.status_code == 201
    counts = []
    for size in (10, 25):
        with count_statements(kernel_of(app).database.engine) as log:
            page = await client.get(f"{PRODUCTS}/list", params={"pageSize": size})
        assert page.status_code == 200
        assert page.text.count("S-") >= size
        counts.append(len(log))
    assert counts[0] == counts[1]


async def test_a_disabled_module_contributes_no_pages(mosaic_app, mosaic_client):
    app = await console_app(mosaic_app, enabled=["users", "auth"])
    client = await mosaic_client(app)
    await create_account(app, client, "ada@example.com", "admin")
    assert (await sign_in(client, "ada@example.com")).status_code == 302
    home = await client.get("/admin/")
    assert "/admin/users_users/list" in home.text
    assert "catalogue" not in home.text.lower()
    assert (await client.get(f"{PRODUCTS}/list")).status_code == 404


PRODUCTION = {
    "env": "production",
    "secret_key": "q8Vd2-Lk0sZ_pW4nRt7yB1mXc9GhJeUa3oNf6iKr5vTw",
    "trusted_hosts": "*",
    "smtp_url": "smtp://127.0.0.1:2525",
    "mail_from": "Shop <noreply@shop.example>",
}


@pytest.mark.parametrize(
    ("env", "mounted"),
    [
        ({"admin_enabled": False}, False),
        (PRODUCTION, False),
        (PRODUCTION | {"admin_enabled": True}, True),
    ],
)
async def test_admin_enabled_setting(mosaic_app, mosaic_client, env, mounted):
    app = await console_app(mosaic_app, **env)
    client = await mosaic_client(app)
    response = await client.get("/admin/login")
    assert (response.status_code == 200) is mounted
    if mounted:
        await create_account(app, client, "ada@example.com", "admin")
        signed_in = await sign_in(client, "ada@example.com")
        assert "secure" in signed_in.headers["set-cookie"].lower()
