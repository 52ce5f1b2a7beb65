"""``mosaic users list|set-role|deactivate|reactivate|set-password``, run as an operator would,
against the same database as a running application with the auth module (to see sessions end)."""

from __future__ import annotations

import asyncio

import pytest
from click.testing import CliRunner

from core.cli import cli
from modules.auth import plugin as auth_plugin
from modules.users import plugin as users_plugin
from tests.modules.auth.conftest import FAST_HASHING, PASSWORD, login, me, register

PLUGINS = """\
[modules]
enabled = ["users", "auth"]

[modules.users]
argon2_memory_cost = 19456
argon2_time_cost = 2
argon2_parallelism = 1

[roles]
support = ["users:admin"]
viewer = []
"""


@pytest.fixture
async def app(mosaic_app):
    return await mosaic_app(
        {"users": users_plugin, "auth": auth_plugin},
        settings={"users": FAST_HASHING},
    )


@pytest.fixture
def mosaic(app, mosaic_database_url, tmp_path):
    """Returns ``await mosaic(*args, stdin=...)``: the CLI's result, configured like a
    deployment by a plugins.toml and the environment."""
    plugins = tmp_path / "operator-plugins.toml"
    plugins.write_text(PLUGINS)
    env = {"MOSAIC_PLUGINS_FILE": str(plugins), "MOSAIC_DATABASE_URL": mosaic_database_url}

    async def run(*args, stdin=None):
        # The command runs its own event loop, so it runs off this test's loop.
        return await asyncio.to_thread(CliRunner().invoke, cli, list(args), input=stdin, env=env)

    return run


@pytest.fixture
async def admin(mosaic):
    result = await mosaic(
        "users", "create-admin", "--email", "root@example.com", "--password-stdin", stdin=PASSWORD
    )
    assert result.exit_code == 0, result.output
    return "root@example.com"


def _refused(result, sentence):
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == f"mosaic: users: {sentence}"
    assert "Traceback" not in result.output


async def test_list_shows_every_account_and_filters(client, mosaic, admin):
    await register(client, "ada@example.com")
    await register(client, "bob@example.com")
    await mosaic("users", "deactivate", "bob@example.com")

    everyone = await mosaic("users", "list")
    admins = await mosaic("users", "list", "--role", "admin")
    inactive = await mosaic("users", "list", "--inactive")

    assert everyone.exit_code == 0, everyone.output
    assert everyone.stdout.splitlines() == [
        "root@example.com  roles=admin  active  verified",
        "ada@example.com  roles=-  active  unverified",
        "bob@example.com  roles=-  inactive  unverified",
    ]
    assert everyone.stderr.strip() == "3 accounts"
    assert admins.stdout.splitlines() == ["root@example.com  roles=admin  active  verified"]
    assert inactive.stdout.splitlines() == ["bob@example.com  roles=-  inactive  unverified"]


async def test_set_role_replaces_the_roles(client, mosaic, admin):
    await register(client, "ada@example.com")

    result = await mosaic("users", "set-role", "Ada@Example.com", "support", "viewer")

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "ada@example.com now has the roles support, viewer"
    listed = await mosaic("users", "list", "--role", "viewer")
    assert listed.stdout.splitlines() == [
        "ada@example.com  roles=support,viewer  active  unverified"
    ]


async def test_set_role_refuses_to_demote_the_last_administrator(client, mosaic, admin):
    result = await mosaic("users", "set-role", admin, "viewer")

    _refused(
        result,
        "root@example.com is the last active administrator; make another account an "
        "administrator first.",
    )
    listed = await mosaic("users", "list", "--role", "admin")
    assert listed.stdout.splitlines() == ["root@example.com  roles=admin  active  verified"]


async def test_another_administrator_may_be_demoted(client, mosaic, admin):
    await register(client, "ada@example.com")
    await mosaic("users", "set-role", "ada@example.com", "support")

    assert (await mosaic("users", "set-role", admin, "viewer")).exit_code == 0
    assert (await mosaic("users", "set-role", "ada@example.com", "viewer")).exit_code == 1


async def test_unknown_roles_and_emails_are_refused_in_one_sentence(mosaic, admin):
    _refused(
        await mosaic("users", "set-role", admin, "admin", "wizard"),
        "unknown role wizard; the roles are admin, support, viewer.",
    )
    _refused(
        await mosaic("users", "list", "--role", "wizard"),
        "unknown role wizard; the roles are admin, support, viewer.",
    )
    for command in (
        ("set-role", "nobody@example.com", "viewer"),
        ("deactivate", "nobody@example.com"),
        ("reactivate", "nobody@example.com"),
    ):
        _refused(await mosaic("users", *command), "no account has the email nobody@example.com.")
    _refused(
        await mosaic(
            "users", "set-password", "nobody@example.com", "--password-stdin", stdin=PASSWORD
        ),
        "no account has the email nobody@example.com.",
    )


async def test_deactivate_ends_the_sessions_and_reactivate_lets_in_again(client, mosaic, admin):
    await register(client, "ada@example.com")
    session = await login(client, "ada@example.com")

    result = await mosaic("users", "deactivate", "ada@example.com")

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "deactivated ada@example.com; its sessions have ended"
    assert (await me(client, session.access)).status_code == 401
    form = {"grant_type": "password", "username": "ada@example.com", "password": PASSWORD}
    assert (await client.post("/api/v1/auth/token", data=form)).status_code == 400

    assert (await mosaic("users", "reactivate", "ada@example.com")).exit_code == 0
    assert (await me(client, (await login(client, "ada@example.com")).access)).status_code == 200
    assert (await me(client, session.access)).status_code == 401  # ended stays ended


async def test_the_last_administrator_cannot_be_deactivated(mosaic, admin):
    _refused(
        await mosaic("users", "deactivate", admin),
        "root@example.com is the last active administrator; make another account an "
        "administrator first.",
    )


async def test_set_password_from_stdin_ends_every_session(client, mosaic, admin):
    await register(client, "ada@example.com")
    session = await login(client, "ada@example.com")

    result = await mosaic(
        "users", "set-password", "ada@example.com", "--password-stdin", stdin="new passphrase\n"
    )

    assert result.exit_code == 0, result.output
    assert "new passphrase" not in result.output
    assert (await me(client, session.access)).status_code == 401
    assert (await login(client, "ada@example.com", "new passphrase")).access


async def test_set_password_with_a_confirmed_prompt(client, mosaic, admin):
    await register(client, "ada@example.com")

    result = await mosaic(
        "users", "set-password", "ada@example.com", stdin="new passphrase\nnew passphrase\n"
    )

    assert result.exit_code == 0, result.output
    assert (await login(client, "ada@example.com", "new passphrase")).access


async def test_set_password_follows_the_password_rules(client, mosaic, admin):
    await register(client, "ada@example.com")

    result = await mosaic(
        "users", "set-password", "ada@example.com", "--password-stdin", stdin="short\n"
    )

    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert (await login(client, "ada@example.com")).access
