"""Settings of the users module: the ``[modules.users]`` section of plugins.toml."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from core import PAGE_SIZE_CEILING, PagingSettings

# OWASP Password Storage Cheat Sheet, argon2id: at least 19 MiB of memory, 2 iterations, 1 lane.
# Refused below that floor, so a typo cannot quietly weaken every stored password.
OWASP_MIN_MEMORY_COST_KIB = 19_456
OWASP_MIN_TIME_COST = 2
OWASP_MIN_PARALLELISM = 1


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
