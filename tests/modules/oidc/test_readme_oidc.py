"""The README's walk-through of one OpenID Connect provider, run: its plugins.toml block, the
secret's environment variable, the check and the listing, then a sign-in with that very
configuration (pointed at the loopback provider)."""

from __future__ import annotations

import asyncio
import re
import shlex
import tomllib
from typing import Any
from urllib.parse import urlsplit

from click.testing import CliRunner

from core.cli import cli
from modules.oidc.config import OidcSettings
from tests.core.installed import ROOT
from tests.modules.auth.conftest import FAST_HASHING
from tests.modules.auth.test_readme_example import parse_curl
from tests.modules.oidc.conftest import PLUGINS, me, sign_in
from tests.modules.oidc.provider import CLIENT_ID, CLIENT_SECRET

_BLOCK = re.compile(r"^( *)```(sh|toml)\n(.*?)^\1```", re.MULTILINE | re.DOTALL)


def _block(language: str, marker: str) -> str:
    readme = (ROOT / "README.md").read_text()
    found = [
        body for _, lang, body in _BLOCK.findall(readme) if lang == language and marker in body
    ]
    assert len(found) == 1, f"the README shows one {language} block with {marker}"
    return str(found[0])


def _configuration() -> dict[str, Any]:
    return tomllib.loads(_block("toml", "[modules.oidc.providers.acme]"))


def test_the_documented_settings_are_the_defaults():
    document = tomllib.loads(_block("toml", "sign_in_ttl"))

    assert OidcSettings(**document["modules"]["oidc"]) == OidcSettings()


async def test_the_walk_through_configures_a_provider_that_signs_in(
    mosaic_app, mosaic_client, mosaic_database_url, provider, tmp_path, monkeypatch
):
    document = _configuration()
    plugins = tmp_path / "plugins.toml"
    plugins.write_text(
        '[modules]\nenabled = ["users", "auth", "oidc"]\n\n'
        + _block("toml", "[modules.oidc.providers.acme]")
    )
    lines = [line.split("#")[0].strip() for line in _block("sh", "CLIENT_SECRET").splitlines()]
    env = {"MOSAIC_DATABASE_URL": mosaic_database_url}
    monkeypatch.chdir(tmp_path)  # the operator's working directory, holding plugins.toml
    # The same configuration, its provider being the loopback one: the README's issuer, client
    # id and public URL are placeholders only a real deployment would answer for (left out,
    # the public URL is the request's origin, the test client's http://testserver).
    oidc = {key: value for key, value in document["modules"]["oidc"].items() if key != "public_url"}
    assert document["modules"]["oidc"]["public_url"].startswith("https://")
    acme = {**oidc["providers"]["acme"], "issuer": provider.issuer, "client_id": CLIENT_ID}
    app = await mosaic_app(
        PLUGINS,
        settings={
            "users": FAST_HASHING,
            "oidc": {
                **oidc,
                "providers": {"acme": acme},
                "providers__acme__client_secret": CLIENT_SECRET,
            },
        },
    )
    client = await mosaic_client(app)

    ran = []
    for line in filter(None, lines):
        words = shlex.split(line)
        if words[0] == "export":
            name, _, value = words[1].partition("=")
            env[name] = value
        elif words[0] == "mosaic":
            result = await asyncio.to_thread(CliRunner().invoke, cli, words[1:], env=env)
            assert result.exit_code == 0, (line, result.output)
            assert "valid; enables users, auth, oidc" in result.output
        else:
            curl = parse_curl(line)
            listed = await client.get(urlsplit(curl.url).path)
            assert listed.json() == [
                {"name": "acme", "display_name": "Acme ID", "login_url": "/api/v1/oidc/acme/login"}
            ]
        ran.append(words[0])

    assert ran == ["export", "mosaic", "curl"]
    assert env["MOSAIC_MODULES__OIDC__PROVIDERS__ACME__CLIENT_SECRET"]
    dance = await sign_in(client)
    assert dance.callback.status_code == 200, dance.callback.text
    assert (await me(client, dance.callback.json()["access_token"])).status_code == 200
    assert provider.authorize_requests[0]["redirect_uri"] == (
        "http://testserver/api/v1/oidc/acme/callback"
    )
