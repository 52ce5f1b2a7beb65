"""Settings of the auth module: the ``[modules.auth]`` section of plugins.toml."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core import Rate

Algorithm = Literal["HS256", "HS384", "HS512", "RS256", "PS256", "ES256", "EdDSA"]
SYMMETRIC = {"HS256", "HS384", "HS512"}


class SigningKey(BaseModel):
    """One asymmetric private key (PEM); the first listed signs, all of them verify."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kid: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    private_key: str | None = Field(default=None, description="PEM text of the private key.")
    private_key_file: Path | None = Field(default=None, description="Path of a PEM file.")

    @model_validator(mode="after")
    def _one_source(self) -> SigningKey:
        if (self.private_key is None) == (self.private_key_file is None):
            raise ValueError(f"key '{self.kid}' needs exactly one of private_key, private_key_file")
        return self

    def pem(self) -> str:
        """The key's PEM text."""
        if self.private_key is not None:
            return self.private_key
        assert self.private_key_file is not None
        return self.private_key_file.read_text(encoding="utf-8")


class AuthSettings(BaseModel):
    """Overridable with ``MOSAIC_MODULES__AUTH__<KEY>`` (lists and tables as JSON)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    issuer: str = Field(default="mosaic", min_length=1, max_length=200)
    audience: str = Field(default="mosaic-api", min_length=1, max_length=200)
    algorithm: Algorithm = "HS256"
    signing_keys: tuple[SigningKey, ...] = ()
    access_token_ttl: int = Field(default=900, ge=30, le=3600, description="Seconds.")
    refresh_token_ttl: int = Field(default=14 * 86400, ge=300, le=90 * 86400)
    leeway: int = Field(default=30, ge=0, le=120, description="Clock skew allowed, seconds.")
    login_attempts_per_account: Rate = "5/15 minutes"
    login_attempts_per_address: Rate = "30/15 minutes"

    @model_validator(mode="after")
    def _keys_match_algorithm(self) -> AuthSettings:
        if self.algorithm in SYMMETRIC and self.signing_keys:
            raise ValueError(f"{self.algorithm} signs with MOSAIC_SECRET_KEY; remove signing_keys")
        if self.algorithm not in SYMMETRIC and not self.signing_keys:
            raise ValueError(f"{self.algorithm} needs at least one entry in signing_keys")
        return self

    @property
    def asymmetric(self) -> bool:
        """Whether tokens are signed with a private key (and the public keys are published)."""
        return self.algorithm not in SYMMETRIC
