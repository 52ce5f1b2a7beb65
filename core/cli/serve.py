"""``mosaic serve``."""

from __future__ import annotations

import click
import uvicorn

from core.kernel.kernel import Kernel


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (use PostgreSQL when more than one).",
)
def serve_command(host: str, port: int, workers: int) -> None:
    """Serve the API of the enabled modules."""
    # Validate once here so a bad configuration fails before any worker is forked.
    Kernel.load()
    uvicorn.run(
        "core.app:create_app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        timeout_graceful_shutdown=30,
    )
