"""Settings of the oidc module: the ``[modules.oidc]`` section of plugins.toml, with one
``[modules.oidc.providers.NAME]`` table per provider.

A provider's client secret never sits in the file: it comes from the environment variable
``MOSAIC_MODULES__OIDC__PROVIDERS__<NAME>__CLIENT_SECRET``. The kernel hands that variable over as
the flat key ``providers__<name>__client_secret``, which :class:`OidcSettings` folds into the
provider's table.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

# Also the middle of an environment variable's name: no '-', and no '__', its separator.
PROVIDER_NAME = re.compile(r"^(?=.{1,40}$)[a-z][a-z0-9]*(_[a-z0-9]+)*$")
SECRET_FIELD = "client_secret"  # noqa: S105 - a field name, not a secret
_FLAT_KEY = "providers__"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
DISCOVERY_PATH = "/.well-known/openid-configuration"


def secret_variable(name: str) -> str:
    """Returns the environment variable holding provider ``name``'s client secret."""
    return f"MOSAIC_MODULES__OIDC__PROVIDERS__{name.upper()}__CLIENT_SECRET"


def _web_address(value: str) -> str:
    """Refuses what is no https URL: plain http only on the loopback, where nothing is sniffed."""
    parts = urlsplit(value)
    secure = parts.scheme == "https" or (
        parts.scheme == "http" and (parts.hostname or "") in LOOPBACK_HOSTS
    )
    if not secure or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"'{value}' is not an https URL (http only on the loopback)")
    return value


class ProviderSettings(BaseModel):
    """One OpenID Connect provider, as its operator registered this deployment there."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    display_name: str | None = Field(
        default=None, min_length=1, max_length=100, description="Shown to users; default NAME."
    )
    issuer: str = Field(
        max_length=500, description="The provider's issuer, exactly as its ID tokens carry it."
    )
    discovery_url: str | None = Field(
        default=None,
        max_length=1000,
        description="Where its metadata is published; default the issuer's "
        "/.well-known/openid-configuration.",
    )
    client_id: str = Field(min_length=1, max_length=255)
    client_secret: SecretStr | None = Field(
        default=None, description="From MOSAIC_MODULES__OIDC__PROVIDERS__<NAME>__CLIENT_SECRET."
    )
    scopes: tuple[str, ...] = Field(
        default=("openid", "email", "profile"), description="Must include openid and email."
    )

    @field_validator("issuer", "discovery_url")
    @classmethod
    def _secure(cls, value: str | None) -> str | None:
        return None if value is None else _web_address(value)

    @field_validator("scopes")
    @classmethod
    def _openid_and_email(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if "openid" not in value or "email" not in value:
            raise ValueError("scopes must include 'openid' and 'email'")
        if any(not scope or " " in scope for scope in value):
            raise ValueError("each scope is one word")
        return value

    @property
    def metadata_url(self) -> str:
        """The URL of the provider's OpenID Connect discovery document."""
        return self.discovery_url or self.issuer.rstrip("/") + DISCOVERY_PATH


def _provider(name: str, table: object) -> ProviderSettings:
    """Returns provider ``name``'s validated settings; a refusal names the provider and key
    (the kernel would only name ``providers``)."""
    if not PROVIDER_NAME.match(name):
        raise ValueError(
            f"'{name}' cannot name a provider: up to 40 lower-case letters, digits and single "
            "'_', starting with a letter"
        )
    try:
        return ProviderSettings.model_validate(table)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown setting"
        raise ValueError(f"provider '{name}', {key}: {message}") from None


class OidcSettings(BaseModel):
    """Overridable with ``MOSAIC_MODULES__OIDC__<KEY>``; no provider means an empty list."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    providers: dict[str, ProviderSettings] = Field(default_factory=dict)
    public_url: str | None = Field(
        default=None,
        max_length=500,
        description="The origin clients reach this API at (https://api.example.com), from which "
        "each provider's redirect URI is built; default: the origin of the login request.",
    )
    sign_in_ttl: int = Field(
        default=600, ge=60, le=3600, description="Seconds a started sign-in may take."
    )
    timeout: float = Field(
        default=10.0, gt=0, le=60, description="Seconds one request to a provider may take."
    )
    leeway: int = Field(
        default=60, ge=0, le=300, description="Clock skew allowed on ID tokens, seconds."
    )

    @model_validator(mode="before")
    @classmethod
    def _fold_secrets(cls, data: Any) -> Any:
        """Moves ``providers__<name>__client_secret`` (the environment variable, as the kernel
        hands it over) into the provider's table; refuses a secret written in the file."""
        if not isinstance(data, dict):
            return data
        folded = {key: value for key, value in data.items() if not key.startswith(_FLAT_KEY)}
        tables = folded.get("providers", {})
        if not isinstance(tables, dict):
            return data
        providers = {
            name: dict(table) if isinstance(table, dict) else table
            for name, table in tables.items()
        }
        for name, table in providers.items():
            if isinstance(table, dict) and SECRET_FIELD in table:
                raise ValueError(
                    f"provider '{name}' has a client_secret in the file; remove it and set "
                    f"{secret_variable(name)} instead"
                )
        for key, value in data.items():
            if not key.startswith(_FLAT_KEY):
                continue
            name, _, field = key.removeprefix(_FLAT_KEY).partition("__")
            if field != SECRET_FIELD:
                raise ValueError(
                    f"MOSAIC_MODULES__OIDC__{key.upper()}: only a provider's CLIENT_SECRET is "
                    "set this way"
                )
            if name not in providers:
                raise ValueError(
                    f"{secret_variable(name)} is set but no [modules.oidc.providers.{name}] "
                    "is configured"
                )
            table = providers[name]
            if isinstance(table, dict):
                table[SECRET_FIELD] = value
        folded["providers"] = {name: _provider(name, table) for name, table in providers.items()}
        return folded

    @field_validator("public_url")
    @classmethod
    def _origin(cls, value: str | None) -> str | None:
        if value is None:
            return None
        _web_address(value)
        if urlsplit(value).path not in ("", "/"):
            raise ValueError(f"'{value}' is not an origin (scheme and host only)")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _complete(self) -> OidcSettings:
        for name, provider in self.providers.items():
            if provider.client_secret is None or not provider.client_secret.get_secret_value():
                raise ValueError(
                    f"provider '{name}' has no client secret: set {secret_variable(name)}"
                )
        return self
