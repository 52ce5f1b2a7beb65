"""``mosaic users create-admin``, run as an operator would: plugins.toml and environment."""

from __future__ import annotations

import asyncio

import pytest
from click.testing import CliRunner

from core.cli import cli
from core.testing.kernel import kernel_of
from modules.users.api import verify_credentials
from tests.modules.users.conftest import configured_passwords

PASSWORD = "correct horse battery"
FAST_HASHING = "argon2_memory_cost = 19456\nargon2_time_cost = 2\nargon2_parallelism = 1\n"


@pytest.fixture
async def app(users_app, mosaic_client):
    """The application over the test database, migrated, its lifespan running."""
    app = await users_app()
    await mosaic_client(app)
    return app


@pytest.fixture
def mosaic(app, mosaic_database_url, tmp_path):
    """Returns ``await mosaic(*args, stdin=...)``: the CLI's result, configured by a
    plugins.toml (registration closed) and the environment, like a deployment."""
    plugins = tmp_path / "operator-plugins.toml"
    plugins.write_text(
        '[modules]\nenabled = ["users"]\n\n[modules.users]\nregistration_enabled = false\n'
        + FAST_HASHING
    )
    env = {"MOSAIC_PLUGINS_FILE": str(plugins), "MOSAIC_DATABASE_URL": mosaic_database_url}

    async def run(*args, stdin=None):
        # The command runs its own event loop, so it runs off this test's loop.
        return await asyncio.to_thread(CliRunner().invoke, cli, list(args), input=stdin, env=env)

    return run


async def _login(app, email, password):
    async with kernel_of(app).database.unit_of_work() as uow:
        return await verify_credentials(
            uow.session, email=email, password=password, passwords=configured_passwords(app)
        )


async def test_create_admin_with_the_password_on_stdin(app, mosaic):
    result = await mosaic(
        "users", "create-admin", "--email", "Root@Example.com", "--password-stdin", stdin=PASSWORD
    )

    assert result.exit_code == 0, result.output
    assert "root@example.com" in result.stdout
    admin = await _login(app, "root@example.com", PASSWORD)
    assert admin is not None
    assert admin.roles == ("admin",)
    assert admin.is_active


async def test_create_admin_with_a_confirmed_hidden_prompt(app, mosaic):
    result = await mosaic(
        "users", "create-admin", "--email", "root@example.com", stdin=f"{PASSWORD}\n{PASSWORD}\n"
    )

    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert await _login(app, "root@example.com", PASSWORD) is not None


async def test_a_taken_email_is_refused_in_one_sentence(app, mosaic):
    await mosaic(
        "users", "create-admin", "--email", "root@example.com", "--password-stdin", stdin=PASSWORD
    )

    result = await mosaic(
        "users",
        "create-admin",
        "--email",
        "ROOT@example.com",
        "--password-stdin",
        stdin="other password",
    )

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "mosaic: users: an account with the email root@example.com already exists."
    )
    assert "Traceback" not in result.output
    assert await _login(app, "root@example.com", PASSWORD) is not None


@pytest.mark.parametrize(
    ("email", "password"),
    [("not-an-email", PASSWORD), ("root@example.com", "short"), ("root@example.com", "p" * 129)],
)
async def test_invalid_input_is_refused_by_the_apis_rules(app, mosaic, email, password):
    result = await mosaic(
        "users", "create-admin", "--email", email, "--password-stdin", stdin=password
    )

    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert await _login(app, "root@example.com", password) is None
