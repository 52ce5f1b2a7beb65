"""The README's identity examples, run: the verification and password reset requests, the
documented defaults of ``[modules.users]``, and the account administration commands."""

from __future__ import annotations

import asyncio
import re
import shlex
import tomllib
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from core.cli import cli
from modules.users.config import UsersSettings
from tests.core.installed import ROOT
from tests.modules.auth.conftest import PASSWORD, login, me
from tests.modules.auth.test_readme_example import parse_curl
from tests.modules.users.conftest import FAST_HASHING, mailed_token

_BLOCK = re.compile(r"^( *)```(sh|toml)\n(.*?)^\1```", re.MULTILINE | re.DOTALL)
NEW_PASSWORD = "a brand new passphrase"


def _blocks(language: str, marker: str) -> list[str]:
    readme = (ROOT / "README.md").read_text()
    found = [
        body for _, lang, body in _BLOCK.findall(readme) if lang == language and marker in body
    ]
    assert len(found) == 1, f"the README shows one {language} block with {marker}"
    return re.sub(r"\\\n\s*", "", found[0]).splitlines()


@pytest.fixture
async def app(mosaic_app, mosaic_smtp):
    from modules.auth import plugin as auth_plugin
    from modules.users import plugin as users_plugin

    return await mosaic_app(
        {"users": users_plugin, "auth": auth_plugin},
        settings={"users": FAST_HASHING},
        env={"smtp_url": mosaic_smtp.url},
    )


async def test_the_verification_and_reset_requests_work_as_shown(
    app, client, deliver_events, mosaic_smtp
):
    lines = [line.strip() for line in _blocks("sh", "/api/v1/users/password-reset")]
    curls = [line for line in lines if line.startswith("curl")]
    assert len(curls) == 3
    await client.post("/api/v1/users", json={"email": "ada@example.com", "password": PASSWORD})
    session = await login(client, "ada@example.com")
    await deliver_events(app)
    tokens = {"$VERIFY_TOKEN": mailed_token(mosaic_smtp.messages[-1])}

    statuses = []
    for line in curls:
        if "$RESET_TOKEN" in line:
            await deliver_events(app)
            tokens["$RESET_TOKEN"] = mailed_token(mosaic_smtp.messages[-1])
        filled = line
        for name, value in tokens.items():
            filled = filled.replace(name, value)
        curl = parse_curl(filled)
        response = await client.request(
            curl.method, urlsplit(curl.url).path, content=curl.body, headers=curl.headers
        )
        statuses.append(response.status_code)

    assert statuses == [204, 202, 204]
    assert (await me(client, session.access)).status_code == 401  # the reset ended it
    renewed = await login(client, "ada@example.com", NEW_PASSWORD)
    assert (await me(client, renewed.access)).json()["email_verified"] is True


def test_the_documented_settings_are_the_defaults():
    document = tomllib.loads("\n".join(_blocks("toml", "verify_email_url")))

    assert UsersSettings(**document["modules"]["users"]) == UsersSettings()


async def test_the_administration_commands_run_as_shown(client, mosaic_database_url, tmp_path):
    plugins = tmp_path / "plugins.toml"
    plugins.write_text(
        '[modules]\nenabled = ["users", "auth"]\n\n[modules.users]\n'
        + "".join(f"{key} = {value}\n" for key, value in FAST_HASHING.items())
        + "\n[roles]\neditor = []\n"
    )
    env = {
        "MOSAIC_PLUGINS_FILE": str(plugins),
        "MOSAIC_DATABASE_URL": mosaic_database_url,
        "NEW_PASSWORD": NEW_PASSWORD,
    }

    async def mosaic(args, stdin=None):
        return await asyncio.to_thread(CliRunner().invoke, cli, args, input=stdin, env=env)

    await mosaic(
        ["users", "create-admin", "--email", "root@example.com", "--password-stdin"], PASSWORD
    )
    await client.post("/api/v1/users", json={"email": "ada@example.com", "password": PASSWORD})
    lines = [line.split("#")[0].strip() for line in _blocks("sh", "mosaic users set-role")]
    commands = [line for line in lines if line]
    assert len(commands) == 6

    for command in commands:
        stdin = None
        run = command
        if " | " in command:  # printf '%s\n' "$NEW_PASSWORD" | mosaic …
            printf, run = command.split(" | ")
            stdin = shlex.split(printf)[-1].replace("$NEW_PASSWORD", NEW_PASSWORD) + "\n"
        words = shlex.split(run)
        assert words[0] == "mosaic"
        result = await mosaic(words[1:], stdin)
        assert result.exit_code == 0, (command, result.output)

    assert (await login(client, "ada@example.com", NEW_PASSWORD)).access
