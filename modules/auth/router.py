"""HTTP routes of the auth module: the OAuth2 token endpoint, refresh, logout and JWKS."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response, status

from core import KernelDep
from core.auth import CurrentPrincipal
from core.db import UoW
from core.errors import UnsupportedMediaType, raises
from modules.auth import service
from modules.auth.authority import TokenAuthority
from modules.auth.errors import (
    InvalidGrant,
    InvalidRequest,
    LoginThrottled,
    RefreshTokenReused,
    UnsupportedGrantType,
)
from modules.auth.schemas import NO_STORE, Jwks, RefreshRequest, TokenPair
from modules.users.api import AccountPasswords, EmailNotVerified, VerifiedEmailRequired

router = APIRouter(prefix="/auth", tags=["auth"])
MAX_FIELD = {
    "username": 320,
    "password": 128,
    "scope": 2000,
    "refresh_token": 8192,
    "grant_type": 40,
}

_FORM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["grant_type"],
    "properties": {
        "grant_type": {"type": "string", "enum": ["password", "refresh_token"]},
        "username": {"type": "string", "format": "email", "maxLength": 320},
        "password": {"type": "string", "format": "password", "maxLength": 128},
        "scope": {"type": "string", "maxLength": 2000},
        "refresh_token": {"type": "string", "maxLength": 8192},
    },
}


async def authority(kernel: KernelDep) -> TokenAuthority:
    """The application's token authority: the kernel's authenticator, as this module registers."""
    value = kernel.authenticator
    if not isinstance(value, TokenAuthority):
        raise TypeError(f"the kernel's authenticator is {value!r}, not the auth module's")
    return value


Authority = Annotated[TokenAuthority, Depends(authority)]


@raises(InvalidRequest, UnsupportedMediaType)
async def token_form(request: Request) -> dict[str, str]:
    """The token request's parameters; RFC 6749 asks for a form, each parameter at most once."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != (
        "application/x-www-form-urlencoded"
    ):
        raise UnsupportedMediaType("Send the token request as application/x-www-form-urlencoded.")
    form = await request.form(max_files=0, max_fields=10)
    fields: dict[str, str] = {}
    for name, value in form.multi_items():
        if name in fields:
            raise InvalidRequest(f"The parameter '{name}' is repeated.")
        if not isinstance(value, str) or len(value) > MAX_FIELD.get(name, 200):
            raise InvalidRequest(f"The parameter '{name}' is too long or not text.")
        fields[name] = value
    return fields


@router.post(
    "/token",
    response_model=TokenPair,
    summary="Log in (OAuth2 password grant) or refresh",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/x-www-form-urlencoded": {"schema": _FORM_SCHEMA}},
        }
    },
)
@raises(UnsupportedGrantType, InvalidGrant, RefreshTokenReused, LoginThrottled, EmailNotVerified)
async def issue_token(
    request: Request,
    response: Response,
    form: Annotated[dict[str, str], Depends(token_form)],
    *,
    uow: UoW,
    tokens: Authority,
    passwords: AccountPasswords,
    verified_only: VerifiedEmailRequired,
) -> TokenPair:
    """``grant_type=password`` with ``username`` (the email) and ``password`` opens a session;
    ``grant_type=refresh_token`` rotates one. Errors carry the OAuth2 ``error`` member."""
    response.headers.update(NO_STORE)
    grant = form.get("grant_type")
    if grant == "refresh_token":
        if not form.get("refresh_token"):
            raise InvalidRequest("The refresh_token parameter is required.")
        return await service.refresh(uow, authority=tokens, refresh_token=form["refresh_token"])
    if grant != "password":
        if grant is None:
            raise InvalidRequest("The grant_type parameter is required.")
        raise UnsupportedGrantType(f"The grant type '{grant}' is not supported.")
    if not form.get("username") or not form.get("password"):
        raise InvalidRequest("The username and password parameters are required.")
    return await service.login(
        uow,
        authority=tokens,
        passwords=passwords,
        verified_only=verified_only,
        email=form["username"],
        password=form["password"],
        requested_scope=form.get("scope"),
        address=request.client.host if request.client else "unknown",
    )


@router.post("/refresh", response_model=TokenPair, summary="Rotate a refresh token")
@raises(InvalidGrant, RefreshTokenReused)
async def refresh_token(
    body: RefreshRequest, response: Response, uow: UoW, tokens: Authority
) -> TokenPair:
    """Returns a new pair; the refresh token sent can never be used again."""
    response.headers.update(NO_STORE)
    return await service.refresh(uow, authority=tokens, refresh_token=body.refresh_token)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, summary="End this session")
async def logout(principal: CurrentPrincipal, uow: UoW) -> None:
    """Revokes the caller's session: its access and refresh tokens stop working everywhere."""
    if principal.session is not None:
        await service.logout(uow, session_id=principal.session)


@router.get("/jwks", response_model=Jwks, summary="Public signing keys")
async def read_jwks(tokens: Authority) -> Jwks:
    """The JSON Web Key Set verifying access tokens (empty when tokens are signed with HMAC)."""
    return Jwks.model_validate(tokens.keys.jwks())
