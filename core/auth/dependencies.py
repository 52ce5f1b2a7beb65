"""FastAPI dependencies that authenticate the caller and enforce permissions.

Any module protects a route without knowing which module issues tokens::

    @router.post("/products", dependencies=[require("catalogue:write")])
    async def create(..., principal: CurrentPrincipal) -> ...

``require`` answers 401 without a valid token and 403 when a permission is missing, both with
their RFC 6750 ``WWW-Authenticate`` challenge, and shows the permissions as OAuth2 scopes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import OAuth2PasswordBearer, SecurityScopes

from core.auth.errors import InsufficientScope, InvalidToken
from core.auth.principal import Principal
from core.db.uow import UnitOfWork, UoW
from core.errors.kernel_errors import AuthenticationRequired
from core.errors.openapi import ANONYMOUS_ALLOWED, raises
from core.kernel.access import kernel_of

SCHEME_NAME = "OAuth2"

# The token URL is the enabled authenticator's (``Authenticator.token_url``), known only once the
# kernel is loaded: the application's OpenAPI document writes it into this scheme's password flow.
bearer = OAuth2PasswordBearer(tokenUrl="", scheme_name=SCHEME_NAME, auto_error=False)


async def _verify(request: Request, token: str, uow: UnitOfWork) -> Principal:
    authenticator = kernel_of(request).authenticator
    if authenticator is None:
        raise InvalidToken("No enabled module verifies tokens.")
    principal: Principal = await authenticator.authenticate(token, uow.session)
    request.state.principal = principal
    uow.actor = principal.subject  # stamped on the events this request publishes
    return principal


@raises(AuthenticationRequired, InvalidToken)
async def authenticated(
    request: Request, token: Annotated[str | None, Depends(bearer)], uow: UoW
) -> Principal:
    """Returns the caller; 401 without a valid bearer token."""
    if not token:
        raise AuthenticationRequired("Send a bearer token in the Authorization header.")
    return await _verify(request, token, uow)


@raises(InsufficientScope)
async def authorized(
    scopes: SecurityScopes, principal: Annotated[Principal, Depends(authenticated)]
) -> Principal:
    """Returns the caller if it holds every permission the route requires; 403 otherwise."""
    missing = [scope for scope in scopes.scopes if scope not in principal.permissions]
    if missing:
        raise InsufficientScope(missing)
    return principal


@raises(InvalidToken)
async def optional_principal(
    request: Request, token: Annotated[str | None, Depends(bearer)], uow: UoW
) -> Principal | None:
    """Returns the caller, or ``None`` for an anonymous request; a token sent must be valid."""
    return await _verify(request, token, uow) if token else None


setattr(optional_principal, ANONYMOUS_ALLOWED, True)


def require(*permissions: str) -> Any:
    """A dependency demanding ``permissions``; usable in ``dependencies=[…]`` or annotations."""
    return Security(authorized, scopes=list(permissions))


CurrentPrincipal = Annotated[Principal, Security(authenticated)]
OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
