"""Settings of the users module: the ``[modules.users]`` section of plugins.toml."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import ConfigDict, Field, field_validator

from core import PAGE_SIZE_CEILING, PagingSettings, Rate

# OWASP Password Storage Cheat Sheet, argon2id: at least 19 MiB of memory, 2 iterations, 1 lane.
# Refused below that floor, so a typo cannot quietly weaken every stored password.
OWASP_MIN_MEMORY_COST_KIB = 19_456
OWASP_MIN_TIME_COST = 2
OWASP_MIN_PARALLELISM = 1
DAY = 86_400


class UsersSettings(PagingSettings):
    """Overridable with ``MOSAIC_MODULES__USERS__<KEY>``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    registration_enabled: bool = Field(
        default=True, description="Whether anyone may register through POST /api/v1/users."
    )
    # The account listing's default page; PagingSettings documents the field.
    default_page_size: int = Field(default=50, ge=1, le=PAGE_SIZE_CEILING)
    argon2_memory_cost: int = Field(
        default=65_536, ge=OWASP_MIN_MEMORY_COST_KIB, le=4_194_304, description="KiB per hash."
    )
    argon2_time_cost: int = Field(default=3, ge=OWASP_MIN_TIME_COST, le=50)
    argon2_parallelism: int = Field(default=4, ge=OWASP_MIN_PARALLELISM, le=64)

    verify_email_url: str = Field(
        default="http://127.0.0.1:8000/verify-email",
        max_length=1000,
        description=(
            "The front end's page a verification mail links to, with ?token=… added; it posts "
            "the token to POST /api/v1/users/verify."
        ),
    )
    password_reset_url: str = Field(
        default="http://127.0.0.1:8000/reset-password",
        max_length=1000,
        description=(
            "The front end's page a password reset mail links to, with ?token=… added; it "
            "posts the token and the new password to POST /api/v1/users/password-reset/confirm."
        ),
    )
    verification_token_ttl: int = Field(
        default=2 * DAY, ge=300, le=30 * DAY, description="Seconds a verification link holds."
    )
    password_reset_token_ttl: int = Field(
        default=1800, ge=60, le=DAY, description="Seconds a password reset link holds."
    )
    require_verified_email: bool = Field(
        default=False,
        description=(
            "Refuse logins of accounts whose email is not verified (403 "
            "users.email_not_verified) instead of letting them in with email_verified false."
        ),
    )
    verification_mails_per_account: Rate = "3/hour"
    verification_mails_per_address: Rate = "20/hour"
    password_resets_per_account: Rate = "3/hour"  # noqa: S105 - a rate, not a secret
    password_resets_per_address: Rate = "20/hour"  # noqa: S105 - a rate, not a secret

    @field_validator("verify_email_url", "password_reset_url")
    @classmethod
    def _page(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment:
            raise ValueError(f"'{value}' is not an http(s) URL without a #fragment")
        return value
