"""Output of the oidc endpoints (they take no body: the provider's redirect carries query
parameters, bounded where the routes read them)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ProviderRead(BaseModel):
    """A provider users may sign in with."""

    name: str = Field(description="The provider's name in the URLs.")
    display_name: str = Field(description="How to show the provider to users.")
    login_url: str = Field(
        description="Where a browser starts signing in: it is redirected to the provider."
    )
