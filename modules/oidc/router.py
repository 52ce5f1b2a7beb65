"""HTTP routes of the oidc module: the providers, a sign-in's start and its callback."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from core import KernelDep
from core.db import UoW
from core.errors import raises
from modules.auth.api import NO_STORE, TokenPair
from modules.oidc import service
from modules.oidc.dependencies import CallbackUrl, OidcConfig, ProviderDep, SigningKey
from modules.oidc.errors import (
    AccountInactive,
    AccountNotVerified,
    EmailMissing,
    EmailNotVerified,
    InvalidIdToken,
    InvalidState,
    ProviderError,
    ProviderUnavailable,
    SignInConflict,
    TokenExchangeFailed,
)
from modules.oidc.schemas import ProviderRead
from modules.oidc.state import cookie_name, sign_cookie
from modules.users.api import (
    AccountPasswords,
    EmailTaken,
    RegistrationAllowed,
    RegistrationClosed,
    VerifiedEmailRequired,
)
from modules.users.api import EmailNotVerified as LoginRefusedUnverified

router = APIRouter(prefix="/oidc", tags=["oidc"])
# Bounds on what the provider's redirect may carry (RFC 6749 sets none; real codes are short).
MAX_CODE = 2048
MAX_STATE = 200
MAX_ERROR = 64


def _login_path(name: str) -> str:
    return f"/api/v1/oidc/{name}/login"


@router.get("/providers", response_model=list[ProviderRead], summary="List sign-in providers")
async def list_providers(settings: OidcConfig) -> list[ProviderRead]:
    """Every configured OpenID Connect provider, by name, with where its sign-in starts."""
    return [
        ProviderRead(
            name=name,
            display_name=provider.display_name or name,
            login_url=_login_path(name),
        )
        for name, provider in sorted(settings.providers.items())
    ]


@router.get(
    "/{provider}/login",
    response_class=RedirectResponse,
    status_code=status.HTTP_302_FOUND,
    summary="Start signing in with a provider",
    responses={
        302: {
            "description": "Sent on to the provider's authorization endpoint; a cookie binds "
            "the sign-in to this browser.",
            "headers": {"Location": {"schema": {"type": "string", "format": "uri"}}},
        }
    },
)
@raises(ProviderUnavailable)
async def login(
    *,
    provider: ProviderDep,
    redirect_uri: CallbackUrl,
    uow: UoW,
    key: SigningKey,
    settings: OidcConfig,
) -> RedirectResponse:
    """Redirects the browser to the provider (authorization code flow with PKCE S256, state
    and nonce). The provider sends it back to ``/api/v1/oidc/{provider}/callback``."""
    started = await service.start_sign_in(
        uow, provider=provider, redirect_uri=redirect_uri, key=key, ttl=settings.sign_in_ttl
    )
    response = RedirectResponse(started.url, status_code=status.HTTP_302_FOUND, headers=NO_STORE)
    response.set_cookie(
        cookie_name(provider.name),
        sign_cookie(
            key,
            provider=provider.name,
            browser=started.secrets.browser,
            expires_at=started.expires_at,
        ),
        max_age=settings.sign_in_ttl,
        path=f"/api/v1/oidc/{provider.name}/callback",
        secure=redirect_uri.startswith("https://"),
        httponly=True,
        # Lax: the provider's redirect back is a top-level navigation, which Lax lets through.
        samesite="lax",
    )
    return response


@router.get("/{provider}/callback", response_model=TokenPair, summary="Finish signing in")
@raises(
    InvalidState,
    ProviderError,
    TokenExchangeFailed,
    InvalidIdToken,
    ProviderUnavailable,
    EmailMissing,
    AccountInactive,
    EmailNotVerified,
    AccountNotVerified,
    SignInConflict,
    EmailTaken,
    RegistrationClosed,
    LoginRefusedUnverified,
)
async def callback(
    request: Request,
    response: Response,
    *,
    provider: ProviderDep,
    redirect_uri: CallbackUrl,
    uow: UoW,
    kernel: KernelDep,
    key: SigningKey,
    settings: OidcConfig,
    passwords: AccountPasswords,
    registration_allowed: RegistrationAllowed,
    verified_only: VerifiedEmailRequired,
    state: Annotated[str | None, Query(max_length=MAX_STATE)] = None,
    code: Annotated[str | None, Query(max_length=MAX_CODE)] = None,
    error: Annotated[str | None, Query(max_length=MAX_ERROR)] = None,
) -> TokenPair:
    """Where the provider sends the browser back: checks the state (single use, unexpired,
    started by this browser), exchanges the code, checks the ID token, and answers the same
    token pair as a password login. A first sign-in links to the account with the same email
    only when the provider and the account have both verified it; with no such account it
    opens one."""
    response.headers.update(NO_STORE)
    response.delete_cookie(cookie_name(provider.name), path=request.url.path)
    return await service.finish_sign_in(
        uow,
        kernel=kernel,
        provider=provider,
        redirect_uri=redirect_uri,
        key=key,
        leeway=settings.leeway,
        cookie=request.cookies.get(cookie_name(provider.name)),
        state=state,
        code=code,
        error=error,
        passwords=passwords,
        registration_allowed=registration_allowed,
        verified_only=verified_only,
    )
