"""The kernel's own settings, read from ``MOSAIC_*`` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.config.errors import ConfigError

# Only ever accepted when MOSAIC_ENV=development, so a laptop needs no set-up and production
# cannot start with a key that is printed in the source.
DEVELOPMENT_SECRET_KEY = "mosaic-development-only-secret-key-do-not-deploy"  # noqa: S105
MIN_SECRET_KEY_LENGTH = 32


class Settings(BaseSettings):
    """Kernel settings; module settings live in ``plugins.toml`` (``core.config.plugins_file``)."""

    model_config = SettingsConfigDict(env_prefix="MOSAIC_", extra="ignore", frozen=True)

    env: Literal["development", "production"] = "development"
    database_url: str = "sqlite+aiosqlite:///./var/mosaic.db"
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET_KEY)
    redis_url: str | None = None
    plugins_file: Path = Path("plugins.toml")

    db_pool_size: int = Field(default=10, ge=1, le=1000)
    db_max_overflow: int = Field(default=10, ge=0, le=1000)
    db_pool_timeout: float = Field(default=30.0, gt=0)
    db_pool_recycle: int = Field(default=1800, ge=-1)
    db_echo: bool = False
    sqlite_busy_timeout_ms: int = Field(default=5000, ge=0)

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    title: str = "Mosaic"

    @model_validator(mode="after")
    def _refuse_weak_secret_outside_development(self) -> Settings:
        if self.env == "development":
            return self
        key = self.secret_key.get_secret_value()
        if key == DEVELOPMENT_SECRET_KEY:
            raise ValueError("MOSAIC_SECRET_KEY must be set outside development")
        if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 8:
            raise ValueError(
                "MOSAIC_SECRET_KEY is too weak: "
                f"use at least {MIN_SECRET_KEY_LENGTH} random characters"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite default rather than a server."""
        return self.database_url.startswith("sqlite")


def load_settings(**overrides: object) -> Settings:
    """Returns the environment's settings; raises :class:`ConfigError` naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        where = "_".join(str(part) for part in error["loc"]).upper()
        message = error["msg"].removeprefix("Value error, ")
        name = f"MOSAIC_{where}: " if where else ""
        raise ConfigError(f"{name}{message}") from None
