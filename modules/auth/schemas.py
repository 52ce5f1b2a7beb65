"""Input and output of the auth endpoints."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: The headers of an answer that carries tokens: no cache may keep it (RFC 6749 §5.1).
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class TokenPair(BaseModel):
    """RFC 6749 §5.1 token response."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - RFC 6750 token type
    expires_in: int = Field(description="Seconds until the access token expires.")
    refresh_token: str
    scope: str = Field(description="Space-separated permissions the access token carries.")


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=8192)


class Jwks(BaseModel):
    """RFC 7517 JSON Web Key Set."""

    keys: list[dict[str, Any]]
