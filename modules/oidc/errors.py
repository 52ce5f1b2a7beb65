"""Errors of the oidc module, each bound to a stable code.

::

    BadRequest    InvalidState           oidc.invalid_state
                  ProviderError          oidc.provider_error
                  TokenExchangeFailed    oidc.token_exchange_failed
                  InvalidIdToken         oidc.invalid_id_token
    Forbidden     EmailMissing           oidc.email_missing
                  AccountInactive        oidc.account_inactive
    NotFound      ProviderNotFound       oidc.provider_not_found
    Conflict      EmailNotVerified       oidc.email_not_verified
                  AccountNotVerified     oidc.account_not_verified
                  SignInConflict         oidc.sign_in_conflict
    Unavailable   ProviderUnavailable    oidc.provider_unavailable

A callback may also answer the users module's ``users.registration_closed``,
``users.email_taken`` and ``users.email_not_verified``.
"""

from __future__ import annotations

from core.errors import BadRequest, Conflict, Forbidden, NotFound, Unavailable


class ProviderNotFound(NotFound):
    code = "oidc.provider_not_found"
    title = "Provider not found"
    description = (
        "No OpenID Connect provider of this name is configured; see GET /api/v1/oidc/providers."
    )


class InvalidState(BadRequest):
    code = "oidc.invalid_state"
    title = "Invalid sign-in state"
    description = (
        "The callback's state is missing, unknown, expired or already used, or the sign-in was "
        "started in another browser: start again at the provider's login URL."
    )


class ProviderError(BadRequest):
    code = "oidc.provider_error"
    title = "The provider refused the sign-in"
    description = (
        "The provider answered the sign-in with an error (the user declined, or the provider "
        "refused this client) or without an authorization code; the problem's detail names "
        "the provider's error code."
    )


class TokenExchangeFailed(BadRequest):
    code = "oidc.token_exchange_failed"
    title = "Token exchange failed"
    description = (
        "The provider refused to exchange the authorization code (used already, expired, not "
        "issued for this client or this sign-in): start again at the provider's login URL."
    )


class InvalidIdToken(BadRequest):
    code = "oidc.invalid_id_token"
    title = "Invalid ID token"
    description = (
        "The provider's ID token failed a check: its signature against the provider's published "
        "keys, its issuer, audience, expiry, issue time or nonce. Nobody is signed in."
    )


class EmailMissing(Forbidden):
    code = "oidc.email_missing"
    title = "Email missing"
    description = (
        "The provider did not share a usable email address, which an account needs: allow the "
        "email scope at the provider."
    )


class AccountInactive(Forbidden):
    code = "oidc.account_inactive"
    title = "Account inactive"
    description = "The account this identity signs into is deactivated."


class EmailNotVerified(Conflict):
    code = "oidc.email_not_verified"
    title = "Email not verified by the provider"
    description = (
        "An account already uses this email, and the provider does not say the email is "
        "verified, so the identity is not linked to it: log in with the account's password, or "
        "verify the email at the provider first."
    )


class AccountNotVerified(Conflict):
    code = "oidc.account_not_verified"
    title = "Account email not verified"
    description = (
        "An account already uses this email but has never verified it, so whoever opened it "
        "may not own the address: the identity is not linked to it until the account's email "
        "is verified (POST /api/v1/users/verify/resend)."
    )


class SignInConflict(Conflict):
    code = "oidc.sign_in_conflict"
    title = "Concurrent first sign-in"
    description = (
        "Another first sign-in with the same identity finished at the same moment: sign in again."
    )


class ProviderUnavailable(Unavailable):
    code = "oidc.provider_unavailable"
    title = "Provider unavailable"
    description = (
        "The provider could not be reached, timed out or answered with a server error or an "
        "unreadable document: try again later."
    )


ERRORS = (
    ProviderNotFound,
    InvalidState,
    ProviderError,
    TokenExchangeFailed,
    InvalidIdToken,
    EmailMissing,
    AccountInactive,
    EmailNotVerified,
    AccountNotVerified,
    SignInConflict,
    ProviderUnavailable,
)
