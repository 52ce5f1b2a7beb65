"""Chained dependencies of the oidc routes: the configured provider a path names, and the
secrets a sign-in is derived from."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from core import KernelDep, module_settings
from core.errors import raises
from modules.oidc.config import OidcSettings
from modules.oidc.errors import ProviderNotFound
from modules.oidc.provider import Provider

PROVIDER_PATH = "/oidc/{provider}"

OidcConfig = Annotated[OidcSettings, Depends(module_settings(OidcSettings))]


@raises(ProviderNotFound)
async def _provider(
    settings: OidcConfig,
    provider: Annotated[str, Path(max_length=40, description="The provider's name.")],
) -> Provider:
    configured = settings.providers.get(provider)
    if configured is None:
        raise ProviderNotFound(f"No provider is named '{provider}'.")
    return Provider(provider, configured, timeout=settings.timeout)


ProviderDep = Annotated[Provider, Depends(_provider)]


async def _signing_key(kernel: KernelDep) -> bytes:
    """The deployment's secret key, from which each sign-in's nonce, verifier and cookie
    signature are derived."""
    return kernel.settings.secret_key.get_secret_value().encode()


async def _callback_url(request: Request, settings: OidcConfig, provider: ProviderDep) -> str:
    """This provider's redirect URI: ``public_url`` when configured, else the request's
    origin, with the callback's path."""
    origin = settings.public_url or str(request.base_url).rstrip("/")
    return f"{origin}/api/v1/oidc/{provider.name}/callback"


SigningKey = Annotated[bytes, Depends(_signing_key)]
CallbackUrl = Annotated[str, Depends(_callback_url)]
