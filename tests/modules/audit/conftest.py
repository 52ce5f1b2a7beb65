"""Fixtures of the audit module's tests: an administrator who reads the trail."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.testing.kernel import kernel_of
from tests.modules.auth.conftest import login, register

ENTRIES = "/api/v1/audit/entries"


@pytest.fixture
async def auditor(app, client):
    """Headers of an administrator (the ``admin`` role grants ``audit:read``)."""
    await register(client, "auditor@example.com")
    async with kernel_of(app).database.unit_of_work() as uow:
        await uow.session.execute(
            text("UPDATE users_users SET roles = :roles WHERE email = :email"),
            {"roles": '["admin"]', "email": "auditor@example.com"},
        )
    return (await login(client, "auditor@example.com")).headers
