"""A provider's configuration: a bad one stops the start with one sentence naming what to fix."""

from __future__ import annotations

import pytest

from tests.core.installed import run_mosaic

SECRET = "MOSAIC_MODULES__OIDC__PROVIDERS__ACME__CLIENT_SECRET"
ACME = '[modules.oidc.providers.acme]\nissuer = "https://id.acme.example"\nclient_id = "mosaic"\n'


def _check(tmp_path, provider: str, env: dict[str, str]):
    plugins = tmp_path / "plugins.toml"
    plugins.write_text('[modules]\nenabled = ["users", "auth", "oidc"]\n\n' + provider)
    return run_mosaic("modules", "check", str(plugins), cwd=tmp_path, env=env)


def test_a_provider_with_its_secret_in_the_environment_is_valid(tmp_path):
    result = _check(tmp_path, ACME, {SECRET: "from-the-environment"})

    assert result.returncode == 0, result.stderr
    assert "valid; enables users, auth, oidc" in result.stdout


def test_no_provider_at_all_is_valid(tmp_path):
    result = _check(tmp_path, "", {})

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("provider", "env", "message"),
    [
        (ACME, {}, f"provider 'acme' has no client secret: set {SECRET}"),
        (
            ACME + 'client_secret = "in-the-file"\n',
            {SECRET: "x"},
            f"provider 'acme' has a client_secret in the file; remove it and set {SECRET}",
        ),
        (
            ACME.replace("https://id", "http://id"),
            {SECRET: "x"},
            "provider 'acme', issuer: 'http://id.acme.example' is not an https URL",
        ),
        (
            ACME + 'scopes = ["openid"]\n',
            {SECRET: "x"},
            "provider 'acme', scopes: scopes must include 'openid' and 'email'",
        ),
        (
            ACME + 'tenant = "x"\n',
            {SECRET: "x"},
            "provider 'acme', tenant: unknown setting",
        ),
        (
            ACME,
            {SECRET: "x", "MOSAIC_MODULES__OIDC__PROVIDERS__BETA__CLIENT_SECRET": "y"},
            "MOSAIC_MODULES__OIDC__PROVIDERS__BETA__CLIENT_SECRET is set but no "
            "[modules.oidc.providers.beta] is configured",
        ),
        (
            ACME.replace("providers.acme", "providers.Acme-1"),
            {},
            "'Acme-1' cannot name a provider",
        ),
    ],
)
def test_a_bad_provider_stops_the_start_with_one_sentence(tmp_path, provider, env, message):
    result = _check(tmp_path, provider, env)

    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
