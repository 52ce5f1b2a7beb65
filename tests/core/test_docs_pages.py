"""/docs, /redoc and / as a person without internet sees them, and what the document says of the
service."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from core.config.errors import ConfigError
from core.config.settings import load_settings

PRODUCTION = {
    "env": "production",
    "secret_key": "Qm9vdHN0cmFwLWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY3ODkw",
    "trusted_hosts": ("*",),
}
# Every URL a page loads: scripts, styles, icons.
_LOADED = re.compile(r'(?:src|href)="([^"]*)"')


@pytest.fixture
async def client(mosaic_app, mosaic_client, notes):
    return await mosaic_client(await mosaic_app({"notes": notes}))


def _policy(response) -> dict[str, list[str]]:
    directives = response.headers["content-security-policy"].split(";")
    return {name: values for name, *values in (d.split() for d in directives)}


def _sha256(script: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"


@pytest.mark.parametrize(
    ("page", "assets"),
    [
        ("/docs", {"swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"}),
        ("/redoc", {"redoc.standalone.js", "favicon.png"}),
    ],
)
async def test_pages_load_only_what_the_service_serves(client, page, assets):
    response = await client.get(page)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    loaded = set(_LOADED.findall(response.text))
    assert {url.removeprefix("/docs/assets/") for url in loaded} == assets
    for url in loaded:
        asset = await client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 1000, url
    assert "http://" not in response.text.replace("http://www.w3.org", "")
    assert "https://" not in response.text


async def test_the_redoc_bundle_asks_no_cdn_for_its_logo(client):
    bundle = await client.get("/docs/assets/redoc.standalone.js")

    assert bundle.status_code == 200
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert "cdn.redoc.ly" not in bundle.text
    assert 'alt:"redocly logo",onError:()=>t(!1),src:"data:,"' in bundle.text


async def test_swagger_ui_runs_only_its_own_inline_script(client):
    response = await client.get("/docs")

    policy = _policy(response)
    scripts = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert len(scripts) == 1
    assert policy["script-src"] == ["'self'", _sha256(scripts[0])]
    assert policy["default-src"] == ["'none'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    # The Authorize dialog comes back to the service's own redirect page.
    assert "oauth2RedirectUrl: window.location.origin + '/docs/oauth2-redirect'" in scripts[0]
    assert '"validatorUrl": null' in scripts[0]
    redirect = await client.get("/docs/oauth2-redirect")
    assert redirect.status_code == 200
    [inline] = re.findall(r"<script>(.*?)</script>", redirect.text, re.DOTALL)
    assert _policy(redirect)["script-src"] == ["'self'", _sha256(inline)]


async def test_the_password_flow_points_at_the_token_url(mosaic_app, mosaic_client):
    from modules.auth import plugin as auth
    from modules.users import plugin as users

    app = await mosaic_app({"users": users, "auth": auth})
    client = await mosaic_client(app)
    document = (await client.get("/openapi.json")).json()

    flows = [s["flows"] for s in document["components"]["securitySchemes"].values()]
    assert [flow["password"]["tokenUrl"] for flow in flows] == ["/api/v1/auth/token"]
    assert (await client.get("/docs")).status_code == 200


async def test_root_sends_a_developer_to_the_docs(client):
    response = await client.get("/")

    assert response.status_code == 307
    assert response.headers["location"] == "/docs"


async def test_root_answers_an_index_in_production(mosaic_app, mosaic_client, notes):
    app = await mosaic_app({"notes": notes}, env={**PRODUCTION, "version": "2.3.0"})
    client = await mosaic_client(app)

    response = await client.get("/")

    assert response.status_code == 200
    assert response.json() == {
        "name": "Mosaic",
        "version": "2.3.0",
        "links": {
            "openapi": "/openapi.json",
            "docs": "/docs",
            "redoc": "/redoc",
            "errors": "/api/v1/errors",
            "health": "/health/ready",
        },
    }
    assert (await client.get("/docs")).status_code == 200


async def test_operators_can_turn_the_docs_off(mosaic_app, mosaic_client, notes):
    app = await mosaic_app({"notes": notes}, env={"docs_enabled": False})
    client = await mosaic_client(app)

    for path in ("/docs", "/redoc", "/docs/oauth2-redirect", "/docs/assets/swagger-ui.css"):
        assert (await client.get(path)).status_code == 404, path
    index = await client.get("/")
    assert index.status_code == 200
    assert set(index.json()["links"]) == {"openapi", "errors", "health"}
    # The API contract stays readable: clients are generated from it.
    assert (await client.get("/openapi.json")).status_code == 200


async def test_the_document_describes_the_service_from_settings(mosaic_app, mosaic_client, notes):
    env = {
        "title": "Shop API",
        "description": "Everything the shop sells.",
        "version": "2026.11",
        "servers": ("https://api.shop.example", "/shop"),
    }
    client = await mosaic_client(await mosaic_app({"notes": notes}, env=env))

    document = (await client.get("/openapi.json")).json()

    assert document["info"] == {
        "title": "Shop API",
        "description": "Everything the shop sells.",
        "version": "2026.11",
    }
    assert document["servers"] == [{"url": "https://api.shop.example"}, {"url": "/shop"}]
    # Swagger UI may call the servers the document names, and nothing else.
    page = await client.get("/docs")
    assert _policy(page)["connect-src"] == ["'self'", "https://api.shop.example"]
    assert "<title>Shop API - Swagger UI</title>" in page.text


async def test_each_tag_is_described_by_its_module(client, notes):
    document = (await client.get("/openapi.json")).json()

    tags = {tag["name"]: tag.get("description") for tag in document["tags"]}
    assert tags["notes"] == notes.mosaic_describe_module().description
    assert tags["errors"] and tags["health"]
    used = {
        tag for item in document["paths"].values() for op in item.values() for tag in op["tags"]
    }
    assert set(tags) == used


async def test_without_servers_the_document_names_none(client):
    assert "servers" not in (await client.get("/openapi.json")).json()


@pytest.mark.parametrize(
    "servers", ["api.shop.example", "https://api.shop.example/", "ftp://x.example", "/a b"]
)
def test_a_server_that_is_no_url_is_refused(monkeypatch, servers):
    monkeypatch.setenv("MOSAIC_SERVERS", servers)

    with pytest.raises(ConfigError, match=r"MOSAIC_SERVERS: .* is not a server URL"):
        load_settings()


def test_servers_are_read_as_a_list(monkeypatch):
    monkeypatch.setenv("MOSAIC_SERVERS", "https://api.shop.example, https://eu.shop.example/v")

    assert load_settings().servers == ("https://api.shop.example", "https://eu.shop.example/v")
