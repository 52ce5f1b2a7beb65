"""What a benchmark run measures, for how long, and the environment every process gets."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from core import Settings
from core.config.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PYTHON = sys.executable
MOSAIC = str(Path(PYTHON).with_name("mosaic"))
HOST = "127.0.0.1"
POSTGRES_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
ADMIN_EMAIL = "bench-admin@example.com"
# Only for this throwaway database; a login must succeed, so it is known to the load generator.
ADMIN_PASSWORD = "bench-correct-horse-battery-staple"  # noqa: S105
PRODUCTS = 10_000
TAGS_PER_PRODUCT = 3
LIST_PAGE = 50
STATEMENT_PAGE_SIZES = (1, 10, 50, 100)
GENERATED_MODULES = 50


@dataclass(frozen=True, slots=True)
class Profile:
    """Durations and repetitions of one run (``--quick`` or full)."""

    name: str
    duration_s: int
    warmup_s: int
    repeats: int
    threads: int
    connections: int
    login_connections: int
    startup_runs: int
    cpu_rounds: int
    cpu_requests: int
    retries: int
    list_pairs: int
    list_duration_s: int
    callgrind_requests: int

    def wrk_label(self) -> str:
        """The wrk options, as printed in the results."""
        return (
            f"wrk -t{self.threads} -c{self.connections} -d{self.duration_s}s --latency "
            f"(login: -c{self.login_connections}), warm-up {self.warmup_s}s, "
            f"{self.repeats} run(s) per figure; product list: {self.list_pairs} pairs of "
            f"{self.list_duration_s}s runs, kernel and bare app alternating"
        )


FULL = Profile(
    name="full",
    duration_s=8,
    warmup_s=2,
    repeats=2,
    threads=2,
    connections=32,
    login_connections=8,
    startup_runs=5,
    cpu_rounds=25,
    cpu_requests=40,
    retries=4,
    list_pairs=6,
    list_duration_s=4,
    callgrind_requests=30,
)
QUICK = Profile(
    name="quick",
    duration_s=3,
    warmup_s=1,
    repeats=1,
    threads=2,
    connections=16,
    login_connections=4,
    startup_runs=2,
    cpu_rounds=4,
    cpu_requests=40,
    retries=0,
    list_pairs=2,
    list_duration_s=2,
    callgrind_requests=5,
)


def base_environment() -> dict[str, str]:
    """The environment of every process the benchmark starts: production settings, quiet logs.

    Any ``MOSAIC_*`` variable of the caller's shell is dropped so it cannot change the figures;
    metrics stay on (the default), as in a deployment.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("MOSAIC_")}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    env.update(
        MOSAIC_ENV="production",
        MOSAIC_SECRET_KEY=secrets.token_urlsafe(48),
        MOSAIC_TRUSTED_HOSTS=f"{HOST},localhost",
        MOSAIC_LOG_LEVEL="WARNING",
        MOSAIC_METRICS_ENABLED="true",
        MOSAIC_PLUGINS_FILE=str(ROOT / "plugins.toml"),
        MOSAIC_SHUTDOWN_TIMEOUT="5",
        # Production needs an SMTP server for the account mails; the benchmark sends none (its
        # administrator is created verified), so none is reachable.
        MOSAIC_SMTP_URL="smtp://127.0.0.1:1",
        MOSAIC_MAIL_FROM="Mosaic <noreply@example.com>",
    )
    return env


def kernel_settings(url: str, env: Mapping[str, str]) -> Settings:
    """The settings of the servers (``env``), over ``url``, for applications built in-process."""
    return load_settings(
        database_url=url,
        env=env["MOSAIC_ENV"],
        secret_key=env["MOSAIC_SECRET_KEY"],
        trusted_hosts=env["MOSAIC_TRUSTED_HOSTS"],
        plugins_file=env["MOSAIC_PLUGINS_FILE"],
        log_level=env["MOSAIC_LOG_LEVEL"],
        smtp_url=env["MOSAIC_SMTP_URL"],
        mail_from=env["MOSAIC_MAIL_FROM"],
    )
