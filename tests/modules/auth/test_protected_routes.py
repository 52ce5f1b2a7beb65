"""Every protected route of the enabled modules answers 401 to an anonymous call."""

from __future__ import annotations

import re

import pytest

from core.kernel.discovery import discover_plugins
from tests.modules.auth.conftest import FAST_HASHING


@pytest.fixture
async def everything(mosaic_app, mosaic_client):
    app = await mosaic_app(discover_plugins(), settings={"users": FAST_HASHING})
    return await mosaic_client(app)


async def test_every_protected_route_needs_a_token(everything):
    client = everything
    schema = (await client.get("/openapi.json")).json()
    protected = [
        (method, path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if operation.get("security") and {} not in operation["security"]
    ]
    assert ("post", "/api/v1/auth/logout") in protected
    assert ("get", "/api/v1/users/me") in protected

    for method, path in protected:
        url = re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000001", path)
        response = await client.request(method.upper(), url)
        assert response.status_code == 401, (method, path, response.status_code)
        assert response.headers["www-authenticate"].startswith("Bearer")
