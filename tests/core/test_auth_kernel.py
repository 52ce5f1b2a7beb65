"""The kernel's bearer-token dependency, with the test authenticator standing in for auth."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Annotated, Any

import pytest
from fastapi import APIRouter

from core import Module, hookimpl
from core.auth import CurrentPrincipal, OptionalPrincipal, Principal, require
from core.config.errors import ConfigError
from core.config.plugins_file import parse_plugins_document
from core.config.settings import Settings
from core.kernel.kernel import Kernel
from core.testing.auth import StaticAuthenticator, static_auth_plugin
from tests.fixture_modules.factory import make_plugin

router = APIRouter(prefix="/vault")


@router.get("/me")
async def me(principal: CurrentPrincipal) -> dict[str, str]:
    return {"subject": principal.subject}


@router.get("/secret", dependencies=[require("vault:read")])
async def secret() -> dict[str, str]:
    return {"secret": "42"}


@router.get("/maybe")
async def maybe(principal: OptionalPrincipal) -> dict[str, str | None]:
    return {"subject": principal.subject if principal else None}


@router.post("/admin")
async def admin(
    principal: Annotated[Principal, require("vault:read", "vault:write")],
) -> dict[str, str]:
    return {"subject": principal.subject}


vault = make_plugin(
    "vault",
    permissions=["vault:read", "vault:write"],
    routers=[router],
)


@pytest.fixture
async def app(mosaic_app):
    return await mosaic_app({"vault": vault, "testauth": static_auth_plugin()})


async def test_missing_token_is_401_with_a_bearer_challenge(app, mosaic_client):
    client = await mosaic_client(app)

    response = await client.get("/api/v1/vault/me")

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["code"] == "core.unauthorized"


async def test_invalid_token_is_401_invalid_token(app, mosaic_client):
    client = await mosaic_client(app)

    response = await client.get("/api/v1/vault/me", headers={"Authorization": "Bearer nope"})

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    assert response.json()["code"] == "core.invalid_token"


async def test_missing_permission_is_403_insufficient_scope(app, mosaic_client, mosaic_token):
    client = await mosaic_client(app)
    token = await mosaic_token(app, "vault:read")

    response = await client.post(
        "/api/v1/vault/admin", headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 403
    assert response.headers["www-authenticate"] == (
        'Bearer error="insufficient_scope", scope="vault:write"'
    )
    assert response.json()["code"] == "core.insufficient_scope"


async def test_granted_permissions_pass(app, mosaic_client, mosaic_token):
    client = await mosaic_client(app)
    headers = {"Authorization": f"Bearer {await mosaic_token(app, 'vault:read', subject='u1')}"}

    assert (await client.get("/api/v1/vault/me", headers=headers)).json() == {"subject": "u1"}
    assert (await client.get("/api/v1/vault/secret", headers=headers)).json() == {"secret": "42"}


async def test_optional_principal(app, mosaic_client, mosaic_token):
    client = await mosaic_client(app)
    token = await mosaic_token(app, subject="u2")

    anonymous = await client.get("/api/v1/vault/maybe")
    known = await client.get("/api/v1/vault/maybe", headers={"Authorization": f"Bearer {token}"})
    bad = await client.get("/api/v1/vault/maybe", headers={"Authorization": "Bearer nope"})

    assert anonymous.json() == {"subject": None}
    assert known.json() == {"subject": "u2"}
    assert bad.status_code == 401


async def test_openapi_shows_password_flow_and_scopes(app, mosaic_client):
    document = (await mosaic_client(app)).get("/openapi.json")
    schema = (await document).json()

    flow = schema["components"]["securitySchemes"]["OAuth2"]["flows"]["password"]
    assert flow["tokenUrl"] == "/api/v1/auth/token"
    assert flow["scopes"] == {"vault:read": "x", "vault:write": "x"}
    admin = schema["paths"]["/api/v1/vault/admin"]["post"]
    assert admin["security"] == [{"OAuth2": ["vault:read", "vault:write"]}]
    assert set(admin["responses"]) >= {"401", "403", "500"}
    assert "403" not in schema["paths"]["/api/v1/vault/me"]["get"]["responses"]
    maybe = schema["paths"]["/api/v1/vault/maybe"]["get"]
    assert "401" in maybe["responses"]
    assert maybe["security"] == [{}, {"OAuth2": []}]


class ElsewhereAuthenticator(StaticAuthenticator):
    token_url = "/api/v1/elsewhere/token"


async def test_the_password_flow_points_at_the_authenticators_token_url(mosaic_app, mosaic_client):
    elsewhere = SimpleNamespace(
        mosaic_describe_module=hookimpl(lambda: Module(name="elsewhere", version="0")),
        mosaic_register_authenticator=hookimpl(lambda kernel: ElsewhereAuthenticator()),
    )
    app = await mosaic_app({"vault": vault, "elsewhere": elsewhere})

    schema = (await (await mosaic_client(app)).get("/openapi.json")).json()

    flow = schema["components"]["securitySchemes"]["OAuth2"]["flows"]["password"]
    assert flow["tokenUrl"] == "/api/v1/elsewhere/token"


def _kernel(roles: dict[str, list[str]]) -> Kernel:
    document = {"modules": {"enabled": ["vault"]}, "roles": roles}
    config = parse_plugins_document(document, path=None, environ={})
    return Kernel.load(Settings(), config=config, plugins={"vault": vault})


def test_roles_map_to_permissions_and_admin_has_all():
    kernel = _kernel({"reader": ["vault:read"]})

    assert kernel.permissions_for(["reader"]) == {"vault:read"}
    assert kernel.permissions_for(["admin"]) == {"vault:read", "vault:write"}
    assert kernel.permissions_for(["ghost"]) == frozenset()


def test_admin_role_can_be_narrowed():
    assert _kernel({"admin": ["vault:read"]}).permissions_for(["admin"]) == {"vault:read"}


def test_unknown_permission_in_a_role_is_refused():
    with pytest.raises(ConfigError, match=r"\[roles\] reader: unknown permission 'vault:raed'"):
        _kernel({"reader": ["vault:raed"]})


def test_two_authenticators_are_refused():
    other: Any = static_auth_plugin()  # a plugin object, extended below
    other.mosaic_describe_module = hookimpl(lambda: Module(name="otherauth", version="0"))
    config = parse_plugins_document(
        {"modules": {"enabled": ["testauth", "otherauth"]}}, path=None, environ={}
    )

    with pytest.raises(ConfigError, match="both claim the token authenticator"):
        Kernel.load(
            Settings(),
            config=config,
            plugins={"testauth": static_auth_plugin(), "otherauth": other},
        )


async def test_principal_can():
    principal = Principal("s", frozenset({"a:b"}))
    assert principal.can("a:b")
    assert not principal.can("a:b", "a:c")
