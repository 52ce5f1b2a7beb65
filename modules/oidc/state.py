"""The secrets of one sign-in: its state, the browser binding in its cookie, its nonce and its
PKCE verifier.

Only the state and the binding are random; the nonce and the verifier are derived from them
with the deployment's secret key, so the server keeps nothing it would have to store in clear:
the database holds the SHA-256 of the state and of the binding, the browser holds the binding
in a signed, expiring cookie, and the state travels through the provider and back.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

STATE_BYTES = 32
COOKIE_PREFIX = "mosaic_oidc_"


def digest(value: str) -> str:
    """Returns the hexadecimal SHA-256 of ``value``: what the database keeps of a secret."""
    return hashlib.sha256(value.encode()).hexdigest()


def _mac(key: bytes, *parts: str) -> str:
    message = "\x1f".join(parts).encode()
    tag = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(tag).rstrip(b"=").decode()


def cookie_name(provider: str) -> str:
    """Returns the name of the cookie binding a sign-in at ``provider`` to its browser."""
    return COOKIE_PREFIX + provider


@dataclass(frozen=True, slots=True)
class SignInSecrets:
    """What one sign-in needs, all derived from its state and browser binding."""

    state: str
    browser: str
    nonce: str
    code_verifier: str

    @classmethod
    def new(cls, key: bytes) -> SignInSecrets:
        """Returns the secrets of a new sign-in."""
        return cls.of(
            key,
            state=secrets.token_urlsafe(STATE_BYTES),
            browser=secrets.token_urlsafe(STATE_BYTES),
        )

    @classmethod
    def of(cls, key: bytes, *, state: str, browser: str) -> SignInSecrets:
        """Returns the secrets of the sign-in with this state and binding."""
        return cls(
            state=state,
            browser=browser,
            nonce=_mac(key, "oidc-nonce", state),
            # 43 characters of base64url: RFC 7636 asks for 43 to 128 unreserved characters.
            code_verifier=_mac(key, "oidc-pkce", state, browser),
        )


def sign_cookie(key: bytes, *, provider: str, browser: str, expires_at: datetime) -> str:
    """Returns the cookie value carrying ``browser`` until ``expires_at``, signed for
    ``provider``."""
    expires = str(int(expires_at.timestamp()))
    return f"{browser}.{expires}.{_mac(key, 'oidc-cookie', provider, browser, expires)}"


def read_cookie(key: bytes, value: str | None, *, provider: str, now: datetime) -> str | None:
    """Returns the browser binding of a cookie this deployment signed for ``provider`` and
    that has not expired, or ``None``."""
    if not value or value.count(".") != 2:
        return None
    browser, expires, tag = value.split(".")
    if not hmac.compare_digest(tag, _mac(key, "oidc-cookie", provider, browser, expires)):
        return None
    if not expires.isdigit() or int(expires) <= now.timestamp():
        return None
    return browser
