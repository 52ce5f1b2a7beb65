"""Errors of the auth module. Token endpoint errors also carry the OAuth2 ``error`` member."""

from __future__ import annotations

from collections.abc import Mapping

from core.errors import BadRequest, TooManyRequests, Unavailable


class OAuthError(BadRequest):
    """An RFC 6749 §5.2 error: a problem document with the OAuth2 ``error`` member added."""

    oauth_error = "invalid_request"

    def __init__(
        self, detail: str | None = None, *, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(
            detail,
            headers={"Cache-Control": "no-store", **(headers or {})},
            extensions={"error": self.oauth_error, "error_description": detail or self.title},
        )


class InvalidRequest(OAuthError):
    code = "auth.invalid_request"
    title = "Invalid token request"
    description = "The token request lacks a parameter, repeats one or is malformed."
    oauth_error = "invalid_request"


class UnsupportedGrantType(OAuthError):
    code = "auth.unsupported_grant_type"
    title = "Unsupported grant type"
    description = "Only the password and refresh_token grants are supported."
    oauth_error = "unsupported_grant_type"


class InvalidGrant(OAuthError):
    code = "auth.invalid_grant"
    title = "Invalid grant"
    description = (
        "The credentials or the refresh token are not valid: wrong email or password, an "
        "inactive account, or an expired, revoked or already used refresh token."
    )
    oauth_error = "invalid_grant"


class RefreshTokenReused(InvalidGrant):
    """A refresh token was presented twice: its whole session is revoked (RFC 9700 §4.14.2)."""

    code = "auth.refresh_token_reused"
    title = "Refresh token reused"
    description = "A refresh token was used twice; the session it belongs to is now revoked."
    keeps_writes = True


class LoginThrottled(TooManyRequests):
    code = "auth.login_throttled"
    title = "Too many login attempts"
    description = "Too many failed logins for this account or address; retry after Retry-After."


class LoginUnavailable(Unavailable):
    code = "auth.login_unavailable"
    title = "Login temporarily unavailable"
    description = (
        "The store that counts login attempts cannot be reached, so logins are refused rather "
        "than left unthrottled; retry after Retry-After."
    )


ERRORS = (
    InvalidRequest,
    UnsupportedGrantType,
    InvalidGrant,
    RefreshTokenReused,
    LoginThrottled,
    LoginUnavailable,
)
