"""Checking a provider's ID token (OpenID Connect Core §3.1.3.7) with joserfc.

The signature must verify with one of the provider's published keys, under an asymmetric
algorithm of a fixed list (never ``none``, never HMAC, never the token's own choice); the
issuer must be the configured one, the audience must hold this client (and ``azp`` name it when
there are several), ``exp``, ``iat`` and ``sub`` must be there, the token must not have expired,
and the nonce must be this sign-in's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from modules.oidc.errors import InvalidIdToken
from modules.oidc.provider import Provider

ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA")
MAX_TOKEN_LENGTH = 16_384


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the provider says signed in."""

    subject: str
    email: str | None
    email_verified: bool
    name: str | None


def _decode(token: str, keys: KeySet) -> jwt.Token:
    return jwt.decode(token, keys, algorithms=ALGORITHMS)


async def verify_id_token(provider: Provider, token: str, *, nonce: str, leeway: int) -> Identity:
    """Returns the identity ``token`` proves, or raises :class:`InvalidIdToken`."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidIdToken("The ID token is too long.")
    try:
        try:
            decoded = _decode(token, await provider.keys())
        except InvalidKeyIdError:
            # Maybe a key the provider rotated in since its keys were fetched.
            decoded = _decode(token, await provider.keys(refresh=True))
    except (JoseError, ValueError) as exc:
        reason = exc.error if isinstance(exc, JoseError) else "unreadable"
        raise InvalidIdToken(f"The ID token's signature does not verify ({reason}).") from None
    claims = decoded.claims
    registry = jwt.JWTClaimsRegistry(
        now=int(time.time()),
        leeway=leeway,
        iss={"essential": True, "value": provider.settings.issuer},
        aud={"essential": True, "value": provider.settings.client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise InvalidIdToken(
            f"The ID token is not valid ({exc.description or exc.error})."
        ) from None
    _check_authorized_party(claims, provider.settings.client_id)
    return _identity(claims)


def _check_authorized_party(claims: dict[str, Any], client_id: str) -> None:
    audience = claims["aud"]
    several = isinstance(audience, list) and len(audience) > 1
    if (several or "azp" in claims) and claims.get("azp") != client_id:
        raise InvalidIdToken("The ID token was issued to another client (azp).")


def _identity(claims: dict[str, Any]) -> Identity:
    subject = claims["sub"]
    if not isinstance(subject, str) or not 0 < len(subject) <= 255:
        raise InvalidIdToken("The ID token's subject is not 1 to 255 characters.")
    email = claims.get("email")
    name = claims.get("name")
    return Identity(
        subject=subject,
        email=email if isinstance(email, str) else None,
        # Only a JSON true counts: "true", 1 or an absent claim is not the provider's word.
        email_verified=claims.get("email_verified") is True,
        name=name if isinstance(name, str) and name.strip() else None,
    )
