"""The kernel's own settings, read from ``MOSAIC_*`` environment variables."""

from __future__ import annotations

import ipaddress
import json
import re
from email.utils import parseaddr
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.config.errors import ConfigError
from core.config.secret_key import DEVELOPMENT_SECRET_KEY, secret_key_problem

KIB = 1024
MIB = 1024 * 1024

# A browser sends ``scheme://host[:port]``, no path: "https://app.example.com/" never matches.
_ORIGIN = re.compile(r"^https?://[^/\s]+$")
# Starlette's host patterns: a name or an address without port, "*.example.com", or "*" alone.
_HOST = re.compile(r"^(\*|(\*\.)?[a-z0-9.-]+|\[[0-9a-f:.]+\])$")

# Read as a JSON list or as comma-separated values; kept as a tuple so the settings stay frozen.
StringList = Annotated[tuple[str, ...], NoDecode]
# RabbitMQ's exchange names; "amq." is the broker's own.
_EXCHANGE = re.compile(r"^(?!amq\.)[A-Za-z0-9_.:-]{1,255}$")
_AMQP_SCHEMES = ("amqp://", "amqps://")
# A server clients call: an absolute http(s) URL or a path on the same host, no trailing `/`.
_SERVER = re.compile(r"^(https?://[^/\s?#]+)?(/[^\s?#]*)?$")
DEFAULT_DESCRIPTION = (
    "A Mosaic service: the API of its enabled modules. Errors are RFC 9457 problem details "
    "whose `code` is listed at `/api/v1/errors`."
)
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
NetworkList = Annotated[tuple[Network, ...], NoDecode]


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
    # A round trip on every checkout, for connections dropped without the server closing them;
    # the ones it closes are replaced without it (core.db.engine).
    db_pool_pre_ping: bool = False
    db_echo: bool = False
    sqlite_busy_timeout_ms: int = Field(default=5000, ge=0)
    # PostgreSQL cancels a statement running longer (0: none set, the server's own applies), so
    # a runaway query frees its connection and answers 503 instead of holding a worker.
    db_statement_timeout_ms: int = Field(default=30_000, ge=0)

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # None: JSON in production (one parsable line per record), readable text in development.
    log_format: Literal["json", "text"] | None = None
    metrics_enabled: bool = True
    shutdown_timeout: int = Field(default=30, ge=0, le=3600)

    max_body_size: int = Field(default=MIB, ge=1)
    # Request heads as ``mosaic serve`` reads them: bytes of request line and headers together
    # (16 KiB, as Node and h11 allow), and headers (100, as Apache's LimitRequestFields).
    max_header_size: int = Field(default=16 * KIB, ge=KIB)
    max_headers: int = Field(default=100, ge=1)
    cors_origins: StringList = ()
    # None: every host in development; outside development it must be said (see the validator).
    trusted_hosts: StringList | None = None
    # Proxies whose X-Forwarded-For is believed; none by default, so a client cannot write its
    # own address (core.http.proxies).
    trusted_proxies: NetworkList = ()

    # What /openapi.json and the docs pages say of the service; version None: the installed
    # distribution's. Servers: the base URLs clients are told to call (none: the page's own).
    title: str = Field(default="Mosaic", min_length=1, max_length=200)
    description: str = Field(default=DEFAULT_DESCRIPTION, max_length=10_000)
    version: str | None = Field(default=None, min_length=1, max_length=100)
    servers: StringList = ()
    # Swagger UI at /docs and ReDoc at /redoc (assets served by the service itself, no CDN).
    docs_enabled: bool = True
    # The admin console at /admin (core/admin). None: on in development, off in production, where
    # an operator turns it on deliberately.
    admin_enabled: bool | None = None

    # Events (core/events): delivery after commit, retries, and the broker external events go to.
    events_dispatch: bool = True
    events_max_attempts: int = Field(default=10, ge=1, le=1000)
    events_retry_delay: float = Field(default=1.0, gt=0, le=3600)
    events_retry_max_delay: float = Field(default=600.0, gt=0, le=86400)
    events_lease: float = Field(default=60.0, gt=0, le=86400)
    events_poll_interval: float = Field(default=1.0, gt=0, le=3600)
    # RabbitMQ (core/events/broker.py): unset, nothing is externalized.
    amqp_url: str | None = None
    # Completed publications older than this many days are pruned by the kernel's periodic job.
    events_retention_days: int = Field(default=7, ge=1, le=3650)

    # Idempotency keys (core/idempotency): kept at least a day, as the IETF draft expects clients
    # to retry for that long; a claim not committed within the lease may be taken over.
    idempotency_retention_hours: int = Field(default=24, ge=24, le=24 * 366)
    idempotency_lease: float = Field(default=60.0, gt=0, le=3600)

    # Periodic jobs (core/jobs): housekeeping the modules schedule in every worker.
    jobs_enabled: bool = True

    # `mosaic serve` in production refuses to start while an enabled module's migrations are
    # pending, unless the operator says so (their routes then answer 503 until upgraded).
    allow_pending_migrations: bool = False
    amqp_exchange: str = "mosaic.events"
    amqp_timeout: float = Field(default=10.0, gt=0, le=300)

    # Mail (core/mail): the SMTP server (unset: development logs mails instead, production
    # refuses to start while a module sends mail), the From address, the deployment's templates.
    smtp_url: str | None = None
    smtp_timeout: float = Field(default=10.0, gt=0, le=300)
    mail_from: str | None = None
    mail_templates: Path | None = None

    @field_validator("smtp_url")
    @classmethod
    def _check_smtp_url(cls, url: str | None) -> str | None:
        from core.mail.smtp import SmtpAddress

        if not url:
            return None
        SmtpAddress.parse(url)
        return url

    @field_validator("mail_from")
    @classmethod
    def _check_mail_from(cls, sender: str | None) -> str | None:
        if not sender:
            return None
        if "\r" in sender or "\n" in sender or "@" not in parseaddr(sender)[1]:
            raise ValueError("is not a mail address like 'Shop <noreply@shop.example>'")
        return sender

    @field_validator("mail_templates")
    @classmethod
    def _check_mail_templates(cls, folder: Path | None) -> Path | None:
        if folder is not None and not folder.is_dir():
            raise ValueError(f"{folder} is not a folder")
        return folder

    @field_validator("cors_origins", "trusted_hosts", "servers", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        return _split(value)

    @field_validator("cors_origins")
    @classmethod
    def _check_origins(cls, origins: tuple[str, ...]) -> tuple[str, ...]:
        for origin in origins:
            if origin != "*" and not _ORIGIN.match(origin):
                raise ValueError(f"{origin!r} is not an origin like 'https://app.example.com'")
        return origins

    @field_validator("servers")
    @classmethod
    def _check_servers(cls, servers: tuple[str, ...]) -> tuple[str, ...]:
        for server in servers:
            if not server or server.endswith("/") or not _SERVER.match(server):
                raise ValueError(
                    f"{server!r} is not a server URL like 'https://api.example.com' or '/shop'"
                )
        return servers

    @field_validator("trusted_hosts")
    @classmethod
    def _check_hosts(cls, hosts: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if hosts is None:
            return None
        if not hosts:
            raise ValueError("name at least one host, or '*' to accept any")
        hosts = tuple(host.lower() for host in hosts)
        for host in hosts:
            if not _HOST.match(host):
                raise ValueError(f"{host!r} is not a host name, '*.example.com' or '*'")
        return hosts

    @field_validator("amqp_url")
    @classmethod
    def _check_amqp_url(cls, url: str | None) -> str | None:
        if not url:
            return None
        if not url.startswith(_AMQP_SCHEMES):
            raise ValueError("is not an AMQP URL like 'amqp://user:password@host:5672/vhost'")
        return url

    @field_validator("amqp_exchange")
    @classmethod
    def _check_exchange(cls, name: str) -> str:
        if not _EXCHANGE.match(name):
            raise ValueError(
                f"{name!r} is not an exchange name: letters, digits, '-', '_', '.', ':', "
                "not starting with 'amq.'"
            )
        return name

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _parse_networks(cls, value: object) -> object:
        value = _split(value)
        if not isinstance(value, tuple | list):
            return value
        return tuple(_network(item) if isinstance(item, str) else item for item in value)

    @model_validator(mode="after")
    def _refuse_weak_secret_outside_development(self) -> Settings:
        if self.env == "development":
            return self
        problem = secret_key_problem(self.secret_key.get_secret_value())
        if problem is not None:
            raise ValueError(problem)
        if self.trusted_hosts is None:
            # Problem documents link to the catalogue through the Host header; a service that
            # answers any Host can be made to serve links to someone else's site.
            raise ValueError(
                "MOSAIC_TRUSTED_HOSTS must be set outside development: the host names clients "
                "use, e.g. 'api.example.com', or '*' to accept any"
            )
        return self

    @property
    def allowed_hosts(self) -> tuple[str, ...]:
        """The ``Host`` patterns the service answers (every host when not configured)."""
        return self.trusted_hosts if self.trusted_hosts is not None else ("*",)

    @property
    def console_enabled(self) -> bool:
        """Whether the admin console is mounted (``MOSAIC_ADMIN_ENABLED``, else by env)."""
        if self.admin_enabled is not None:
            return self.admin_enabled
        return self.env == "development"

    @property
    def logs_as_json(self) -> bool:
        """Whether log records are written as JSON lines (``MOSAIC_LOG_FORMAT``, else by env)."""
        if self.log_format is not None:
            return self.log_format == "json"
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite default rather than a server."""
        return self.database_url.startswith("sqlite")


def _split(value: object) -> object:
    """A JSON list or comma-separated values, as a tuple; anything else as it is."""
    if not isinstance(value, str):
        return value
    if value.strip().startswith("["):
        return json.loads(value)
    return tuple(item.strip() for item in value.split(",") if item.strip())


def _network(text: str) -> Network:
    """An address (a network of one) or a network such as ``10.0.0.0/8``."""
    try:
        return ipaddress.ip_network(text)
    except ValueError:
        pass
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise ValueError(f"{text!r} is not an IP address or a network like '10.0.0.0/8'") from None
    raise ValueError(f"{text!r} has host bits set: did you mean '{network}'?")


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
