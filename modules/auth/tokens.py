"""Access and refresh tokens: JWTs with an explicit ``typ``, checked claim by claim (RFC 8725)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwt import JWTClaimsRegistry

from modules.auth.config import AuthSettings
from modules.auth.keys import SigningKeys

TokenType = Literal["at+jwt", "rt+jwt"]
ACCESS: TokenType = "at+jwt"  # RFC 9068
REFRESH: TokenType = "rt+jwt"


class TokenRejected(Exception):
    """The token is not acceptable; the message says why (for logs and error_description)."""


@dataclass(frozen=True, slots=True)
class Issued:
    """A freshly signed token and the claims the caller may need to remember."""

    token: str
    jti: str
    expires_in: int


class TokenCodec:
    """Signs and verifies this deployment's tokens."""

    def __init__(self, settings: AuthSettings, keys: SigningKeys) -> None:
        self.settings = settings
        self.keys = keys
        self._registry = JWTClaimsRegistry(
            leeway=settings.leeway,
            iss={"essential": True, "value": settings.issuer},
            aud={"essential": True, "value": settings.audience},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            jti={"essential": True},
            sid={"essential": True},
        )

    def issue(self, typ: TokenType, *, subject: str, session: str, scope: str = "") -> Issued:
        """Returns a signed token of type ``typ`` for ``subject`` in login session ``session``."""
        ttl = self.settings.access_token_ttl if typ == ACCESS else self.settings.refresh_token_ttl
        now = int(time.time())
        jti = uuid.uuid4().hex
        claims: dict[str, Any] = {
            "iss": self.settings.issuer,
            "aud": self.settings.audience,
            "sub": subject,
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            "jti": jti,
            "sid": session,
        }
        if typ == ACCESS:
            claims["scope"] = scope
        header = {"alg": self.keys.algorithm, "typ": typ, "kid": self.keys.kid}
        token = jwt.encode(header, claims, self.keys.signing, algorithms=[self.keys.algorithm])
        return Issued(token=token, jti=jti, expires_in=ttl)

    def verify(self, token: str, typ: TokenType) -> dict[str, Any]:
        """Returns the claims of ``token``, or raises :class:`TokenRejected`.

        Only the configured algorithm is accepted (never ``none``, never the token's own choice),
        the ``typ`` header must match, and iss, aud, sub, exp, iat, jti and sid are required.
        """
        if len(token) > 8192:
            raise TokenRejected("token too long")
        try:
            decoded = jwt.decode(token, self.keys.verifying, algorithms=[self.keys.algorithm])
        except JoseError as exc:
            raise TokenRejected(_describe(exc)) from None
        except (ValueError, TypeError, KeyError):
            raise TokenRejected("malformed token") from None
        if decoded.header.get("typ") != typ:
            raise TokenRejected("wrong token type")
        try:
            self._registry.validate(decoded.claims)
        except JoseError as exc:
            raise TokenRejected(_describe(exc)) from None
        self._check_lifetime(decoded.claims, typ)
        return dict(decoded.claims)

    def _check_lifetime(self, claims: Mapping[str, Any], typ: TokenType) -> None:
        """Refuses a token that claims a longer life than this deployment issues: only a leaked
        key could have signed it, and it would outlive every rotation (the registry has already
        checked that ``exp`` and ``iat`` are numeric dates and that ``iat`` is not ahead)."""
        ttl = self.settings.access_token_ttl if typ == ACCESS else self.settings.refresh_token_ttl
        if claims["exp"] - claims["iat"] > ttl + self.settings.leeway:
            raise TokenRejected("token lifetime exceeds what this service issues")


def _describe(exc: JoseError) -> str:
    return (exc.description or exc.error or "invalid token").rstrip(".")
