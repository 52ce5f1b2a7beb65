"""Authentication and authorisation failures, with their RFC 6750 challenges."""

from __future__ import annotations

from core.errors.exceptions import Forbidden, Unauthorized


class InvalidToken(Unauthorized):
    code = "core.invalid_token"
    title = "Invalid token"
    description = "The bearer token is malformed, expired, revoked or not an access token."

    def __init__(self, detail: str | None = None) -> None:
        reason = _quote(detail or self.title)
        super().__init__(
            detail, www_authenticate=f'Bearer error="invalid_token", error_description="{reason}"'
        )


class InsufficientScope(Forbidden):
    code = "core.insufficient_scope"
    title = "Insufficient scope"
    description = "The token is valid but lacks a permission this operation requires."

    def __init__(self, missing: list[str]) -> None:
        scope = " ".join(missing)
        super().__init__(
            f"This operation requires: {scope}.",
            headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'},
        )


def _quote(text: str) -> str:
    """RFC 6750 error_description: printable ASCII without quotes or backslashes."""
    return "".join(ch for ch in text if 0x20 <= ord(ch) <= 0x7E and ch not in '"\\')
